/** One message, in plain text and in HTML. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** What the message is, for metrics and the log: `password-reset`, `email-verification`, … */
  kind: string;
  /** The link the message carries, if any: the log transport prints it plainly. */
  link?: string;
  /** The code beside the link, if any: printed with it. */
  code?: string;
}
