// Outgoing e-mail through nodemailer, when SMTP_URL / SMTP_FROM are set; links in e-mails are built
// from NEXTAUTH_URL (never from the request's Host header, which a caller chooses).
import nodemailer, { type Transporter } from "nodemailer";
import { env } from "@/lib/env";

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

let transport: { url: string; transporter: Transporter } | undefined;

export function mailConfigured(): boolean {
  return Boolean(env().SMTP_URL && env().SMTP_FROM);
}

export async function sendMail(mail: Mail): Promise<void> {
  const { SMTP_URL: url, SMTP_FROM: from } = env();
  if (!url || !from) throw new Error("SMTP is not configured (SMTP_URL, SMTP_FROM)");
  if (transport?.url !== url) transport = { url, transporter: nodemailer.createTransport(url) };
  await transport.transporter.sendMail({ from, ...mail });
}

/** An absolute link into the app. */
export function appLink(path: string): string {
  const base = env().NEXTAUTH_URL ?? `http://localhost:${env().PORT}`;
  return new URL(path, base).toString();
}
