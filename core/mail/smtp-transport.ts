import nodemailer from "nodemailer";

/**
 * An SMTP transport whose every wait is bounded (nodemailer's socket timeout is ten
 * minutes by default): a stalled server must not hold a request, or an alert's lease,
 * for long. Used by the web app's account mails and the runners' alert mails.
 */
export function createSmtpTransport(smtpUrl: string) {
  return nodemailer.createTransport({
    url: smtpUrl,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 10_000,
  });
}
