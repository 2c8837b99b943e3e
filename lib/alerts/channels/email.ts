// E-mail through the operator's SMTP server (SMTP_URL, SMTP_FROM; lib/mail.ts, nodemailer).
import { mailConfigured, sendMail } from "@/lib/mail";
import { ChannelError, type Notification } from "./types";

export async function sendEmail(config: { to: string[] }, n: Notification): Promise<void> {
  if (!mailConfigured()) throw new ChannelError("SMTP is not configured (SMTP_URL, SMTP_FROM)");
  try {
    await sendMail({ to: config.to.join(", "), subject: `[TrackLayer] ${n.subject}`, text: n.text });
  } catch (error) {
    throw new ChannelError(`SMTP: ${(error as Error).message}`);
  }
}
