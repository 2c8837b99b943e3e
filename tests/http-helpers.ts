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

/** A body streamed in chunks of `chunk` bytes, `total` bytes in all, with no Content-Length. */
export function streamOf(total: number, chunk = 64 * 1024, byte = 0x20): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= total) return controller.close();
      const n = Math.min(chunk, total - sent);
      sent += n;
      controller.enqueue(new Uint8Array(n).fill(byte));
    },
  });
}

/** A small gzip body that inflates to `inflated` bytes of spaces (valid JSON whitespace). */
export const gzipBomb = (inflated: number) => gzipSync(Buffer.alloc(inflated, 0x20), { level: 9 });
