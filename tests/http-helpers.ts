// Calls route handlers the way Next.js does (a Request plus params), for HTTP-level tests of
// routes that authenticate by write key (no session needed).
import { gzipSync } from "node:zlib";

export type RouteHandler = (
  request: Request,
  context: { params: Promise<Record<string, string>> },
) => Promise<Response> | Response;

export interface Sent {
  status: number;
  headers: Headers;
  body: any;
}

export interface SendOptions {
  key?: string;
  params?: Record<string, string>;
  method?: string;
  headers?: Record<string, string>;
  /** A string or bytes, sent as is; a ReadableStream is sent chunked (no Content-Length). */
  body: string | Uint8Array | ReadableStream<Uint8Array>;
}

export async function send(handler: RouteHandler, path: string, opts: SendOptions): Promise<Sent> {
  const init: RequestInit & { duplex?: "half" } = {
    method: opts.method ?? "POST",
    body: opts.body as BodyInit,
    headers: {
      "content-type": "application/json",
      ...(opts.key ? { authorization: `Bearer ${opts.key}` } : {}),
      ...opts.headers,
    },
  };
  if (opts.body instanceof ReadableStream) init.duplex = "half";
  const response = await handler(new Request(`http://localhost${path}`, init), {
    params: Promise.resolve(opts.params ?? {}),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: response.status, headers: response.headers, body };
}

/**
 * A body streamed in chunks of `chunk` bytes from `source` (repeated), `total` bytes in all, with no
 * Content-Length (chunked); `pulled()` says how many bytes the server asked for. (After a refusal the
 * server drains the rest in the background, so read `pulled()` right when the answer comes.)
 */
export function streamOf(total: number, source: Uint8Array = new Uint8Array(64 * 1024).fill(0x20)) {
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    // Paced like a network (a timer turn per chunk), so what was read by the time of the answer shows.
    async pull(controller) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (sent >= total) return controller.close();
      const piece = source.subarray(0, Math.min(source.byteLength, total - sent));
      sent += piece.byteLength;
      controller.enqueue(piece);
    },
  });
  return { stream, pulled: () => sent };
}

/** Chunks of `bytes` (e.g. a gzip body) streamed without Content-Length, 16 KB at a time. */
export function chunked(bytes: Uint8Array) {
  let offset = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.byteLength) return controller.close();
      controller.enqueue(bytes.subarray(offset, offset + 16 * 1024));
      offset += 16 * 1024;
    },
  });
  return { stream, pulled: () => Math.min(offset, bytes.byteLength) };
}

/** A small gzip body that inflates to `inflated` bytes of spaces (valid JSON whitespace). */
export const gzipBomb = (inflated: number) => gzipSync(Buffer.alloc(inflated, 0x20), { level: 9 });
