// Helpers for response classifiers: Retry-After parsing, network errors, short failure reasons.
import type { HttpAnswer, Outcome } from "@/lib/delivery/destinations/types";

export type Answer = HttpAnswer | { networkError: string };

export function isNetworkError(answer: Answer): answer is { networkError: string } {
  return "networkError" in answer;
}

export function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/**
 * Retry-After in milliseconds: delay-seconds, or an HTTP date measured from `now`
 * (default: the answer's own Date header, so the result needs no clock). Undefined when absent or unreadable.
 */
export function retryAfterMs(headers: Record<string, string>, now?: Date): number | undefined {
  const raw = headerValue(headers, "retry-after")?.trim();
  if (!raw) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return Math.round(Number(raw) * 1000);
  const at = Date.parse(raw);
  const reference = now?.getTime() ?? Date.parse(headerValue(headers, "date") ?? "");
  if (Number.isNaN(at) || Number.isNaN(reference)) return undefined;
  return Math.max(0, at - reference);
}

/** The most useful human text of an error body, capped for the log. */
export function bodyMessage(body: unknown, max = 300): string {
  let message: string;
  if (typeof body === "string") message = body;
  else if (body && typeof body === "object") {
    const b = body as { error?: unknown; message?: unknown };
    const inner = b.error && typeof b.error === "object" ? (b.error as { message?: unknown }).message : b.error;
    message = typeof inner === "string" ? inner : typeof b.message === "string" ? b.message : JSON.stringify(body);
  } else message = "";
  return message.length > max ? `${message.slice(0, max)}…` : message;
}

export function httpReason(status: number, body: unknown): string {
  const message = bodyMessage(body);
  return message ? `HTTP ${status}: ${message}` : `HTTP ${status}`;
}

export function retry(reason: string, headers: Record<string, string> = {}): Outcome {
  const after = retryAfterMs(headers);
  return after === undefined ? { outcome: "retry", reason } : { outcome: "retry", reason, retryAfterMs: after };
}

export function permanent(reason: string): Outcome {
  return { outcome: "permanent", reason };
}

/** The common HTTP rules: network error, 429 and 5xx retry (honouring Retry-After), 2xx succeeds, other statuses are permanent. */
export function classifyHttp(answer: Answer, retryStatuses: readonly number[] = [429]): Outcome {
  if (isNetworkError(answer)) return { outcome: "retry", reason: `network: ${answer.networkError}` };
  const { status, headers, body } = answer;
  if (status >= 200 && status < 300) return { outcome: "success", ack: { status } };
  if (status >= 500 || retryStatuses.includes(status)) return retry(httpReason(status, body), headers);
  return permanent(httpReason(status, body));
}
