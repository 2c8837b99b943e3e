// The HTTP exchange log shared by every outbox: one HttpExchange row per request to a platform,
// however many outbox rows it carried; each row's attempt points at it with its position, and is
// shown its own slice of the request body (as the log showed it when each attempt stored a copy).

import type { HttpAnswer, HttpRequestSpec } from "@/lib/delivery/destinations/types";
import type { HttpExchange, Prisma } from "@/lib/generated/prisma/client";

const MAX_LOGGED_BODY = 16_000;

/** A body as the log keeps it: JSON text, at most 16 KB (beyond that, the start of it under `truncated`). */
export function loggable(body: unknown): string | null {
  if (body === undefined || body === null) return null;
  const text = JSON.stringify(body);
  return text.length > MAX_LOGGED_BODY ? JSON.stringify({ truncated: text.slice(0, MAX_LOGGED_BODY) }) : text;
}

/**
 * The request body as it concerns the row at `position` (0-based) of the `size` it carried: when the
 * body carries them as one top-level array (data, events, elements, inputs, users), the envelope with
 * only that row's element, plus where it sat in the batch; otherwise the whole body.
 */
export function eventRequestBody(body: unknown, size: number, position: number): unknown {
  if (size > 1 && body && typeof body === "object" && !Array.isArray(body)) {
    const arrays = Object.entries(body).filter(([, v]) => Array.isArray(v) && v.length === size);
    if (arrays.length === 1) {
      const [key, list] = arrays[0] as [string, unknown[]];
      return { ...body, [key]: [list[position]], _batch: { position: position + 1, size } };
    }
  }
  return body;
}

/** One request as sent to a platform (logged form) and what came back; null when nothing was sent. */
export interface Exchanged {
  destinationId: string;
  method: string;
  request: HttpRequestSpec["log"];
  answer: HttpAnswer | { networkError: string };
  latencyMs: number;
}

/** The HttpExchange row's values for a request that carried `size` outbox rows: the body whole when they share it (each is shown its slice). */
export function exchangeRow(exchange: Exchanged, size: number) {
  const answer = "status" in exchange.answer ? exchange.answer : null;
  return {
    destinationId: exchange.destinationId,
    requestUrl: exchange.request.url,
    requestMethod: exchange.method,
    requestHeaders: JSON.stringify(exchange.request.headers),
    requestBody:
      size > 1 && exchange.request.body != null
        ? JSON.stringify(exchange.request.body)
        : loggable(exchange.request.body),
    batchSize: size,
    responseStatus: answer?.status ?? null,
    responseBody: loggable(
      answer ? answer.body : { network_error: (exchange.answer as { networkError: string }).networkError },
    ),
    latencyMs: exchange.latencyMs,
  };
}

/** Object keys in jsonb's order (shorter first, then bytewise), as the log showed bodies when it stored them as jsonb. */
function jsonbOrdered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(jsonbOrdered);
  if (!value || typeof value !== "object") return value;
  const keys = Object.keys(value).sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(keys.map((k) => [k, jsonbOrdered((value as Record<string, unknown>)[k])]));
}

/** An attempt's exchange as it concerns the attempt's own row: its slice of the request body, 16 KB at most. */
export function attemptExchange(exchange: HttpExchange | null, position: number) {
  if (!exchange)
    return {
      url: "",
      method: "",
      headers: {} as Prisma.JsonValue,
      body: null as Prisma.JsonValue,
      status: null,
      responseBody: null as Prisma.JsonValue,
      latencyMs: 0,
    };
  const sliced =
    exchange.batchSize > 1 ? loggable(eventRequestBody(exchange.requestBody, exchange.batchSize, position)) : null;
  return {
    url: exchange.requestUrl,
    method: exchange.requestMethod,
    headers: exchange.requestHeaders,
    body: jsonbOrdered(sliced === null ? exchange.requestBody : JSON.parse(sliced)) as Prisma.JsonValue,
    status: exchange.responseStatus,
    responseBody: exchange.responseBody,
    latencyMs: exchange.latencyMs,
  };
}
