import type { Mailer, MailMessage } from "../../app/server/mail/mailer.server.ts";

/** A mailer that keeps what it sends, for tests that read the links inside. */
export function memoryMailer(): Mailer & { sent: MailMessage[]; linkTo(email: string, path: string): string } {
  const sent: MailMessage[] = [];
  return {
    configured: true,
    sent,
    send(message) {
      sent.push(message);
      return Promise.resolve(true);
    },
    linkTo(email, path) {
      const message = [...sent].reverse().find((m) => m.to === email && m.text.includes(path));
      const link = message?.text.match(new RegExp(`https?://\\S+${path.replace("/", "\\/")}\\?token=\\S+`))?.[0];
      if (!link) throw new Error(`no ${path} link mailed to ${email}`);
      return link;
    },
  };
}
