/**
 * Outgoing mail. With SMTP_URL, nodemailer sends it; without, the message (links
 * included) goes to the server log and callers tell the user so — a fresh install has
 * no SMTP server, and its first user still needs the verification link.
 */
import { createSmtpTransport } from "../../../core/mail/smtp-transport.ts";
import type { Logger } from "../../../core/logger.ts";

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  /** True when handed to an SMTP server; false when only logged. */
  send(message: MailMessage): Promise<boolean>;
  readonly configured: boolean;
}

export function createMailer(options: { smtpUrl: string | undefined; from: string; logger: Logger }): Mailer {
  const { smtpUrl, from, logger } = options;
  if (!smtpUrl) {
    return {
      configured: false,
      send(message) {
        logger.info({ mail: message }, "SMTP_URL is not set: this email was not sent; its text follows");
        return Promise.resolve(false);
      },
    };
  }
  const transport = createSmtpTransport(smtpUrl);
  return {
    configured: true,
    async send(message) {
      await transport.sendMail({ from, ...message });
      logger.info({ to: message.to, subject: message.subject }, "email sent");
      return true;
    },
  };
}
