// A notification as every channel receives it: a one-line subject, a plain-text body and the
// structured payload a webhook receiver parses.
export interface Notification {
  subject: string;
  text: string;
  payload: Record<string, unknown>;
}

export interface SendOptions {
  /** Tests pass their own fetch; the default is the outbound guard's (private networks refused). */
  fetchImpl?: typeof fetch;
  now?: Date;
}

export class ChannelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ChannelError";
  }
}
