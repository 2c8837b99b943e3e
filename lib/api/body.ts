// The one request body reader: every route that reads a body (ingest, management, audience
// members, the Heap webhook) goes through readBodyBytes. It streams, counting bytes as they
// arrive, so a chunked body without Content-Length (or a lying one) is refused with 413 as soon as
// it passes the cap, not after it was read whole; a gzip body is inflated as a stream with a second
// cap on the inflated bytes (a 100 MB bomb stops at the cap, in milliseconds).
import { Readable, Transform, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { parseJsonBytes } from "@/lib/api/json-text";
import { AppError } from "@/lib/errors";

/** gzip adds a few bytes to incompressible data: the compressed cap allows for that. */
const GZIP_OVERHEAD = 1024;
/** After refusing a body, how much more of it is read and dropped (see drainAfterRefusal). */
const DRAIN_MAX_BYTES = 64 * 1024 * 1024;
const DRAIN_MAX_MS = 10_000;

const describe = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${Math.round(bytes / 1024)} KB`;

const tooLarge = (maxBytes: number) => new AppError("payload_too_large", `Request body exceeds ${describe(maxBytes)}`);

/** Passes bytes through until `limit` is passed, then fails the whole pipeline. */
function byteCap(limit: number, maxBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.byteLength;
      if (seen > limit) done(tooLarge(maxBytes));
      else done(null, chunk);
    },
  });
}

/**
 * The rest of a refused body is read and dropped (bounded), not cancelled: cancelling leaves its
 * bytes unread on a kept-alive connection, where the client's next request would be taken for
 * more of this body (it then hangs until the connection times out, and is reset).
 */
function drainAfterRefusal(reader: ReadableStreamDefaultReader<Uint8Array>) {
  const deadline = Date.now() + DRAIN_MAX_MS;
  let drained = 0;
  void (async () => {
    try {
      while (Date.now() < deadline && drained < DRAIN_MAX_BYTES) {
        const { done, value } = await reader.read();
        if (done) return;
        drained += value.byteLength;
      }
      await reader.cancel();
    } catch {
      // The client went away: nothing left to drain.
    }
  })();
}

/** The request body as a Node stream that, when the pipeline fails, drains instead of cancelling. */
function bodySource(body: ReadableStream<Uint8Array>): Readable {
  const reader = body.getReader();
  return new Readable({
    read() {
      reader.read().then(
        ({ done, value }) => this.push(done ? null : value),
        (error: unknown) => this.destroy(error as Error),
      );
    },
    destroy(error, callback) {
      if (error) drainAfterRefusal(reader);
      callback(error);
    },
  });
}

function contentEncoding(request: Request): "gzip" | "identity" {
  const encoding = (request.headers.get("content-encoding") ?? "").trim().toLowerCase();
  if (encoding === "gzip" || encoding === "x-gzip") return "gzip";
  if (!encoding || encoding === "identity") return "identity";
  throw new AppError("invalid_request", `Unsupported Content-Encoding "${encoding}" (send gzip or none)`);
}

/** The client went away mid-body (nobody reads this answer): not a server error to log. */
const clientGone = (): never => {
  throw new AppError("invalid_request", "The request body ended early: the client closed the connection");
};

/**
 * The body's bytes (inflated when Content-Encoding: gzip), at most `maxBytes` of them both before
 * and after inflating: 413 payload_too_large past either cap, 400 for bad gzip or a client that
 * stopped sending.
 */
export async function readBodyBytes(request: Request, maxBytes: number): Promise<Buffer> {
  const encoding = contentEncoding(request);
  const maxSent = encoding === "gzip" ? maxBytes + GZIP_OVERHEAD : maxBytes;
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > maxSent) throw tooLarge(maxBytes);
  if (!request.body) return Buffer.alloc(0);
  // Fast path (most ingest calls): a declared length within the cap bounds what the HTTP parser
  // hands over, so the body can be read at once.
  if (declared !== null && encoding === "identity") return Buffer.from(await request.arrayBuffer().catch(clientGone));

  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  const source = bodySource(request.body);
  try {
    if (encoding === "gzip")
      await pipeline(source, byteCap(maxSent, maxBytes), createGunzip(), byteCap(maxBytes, maxBytes), sink);
    else await pipeline(source, byteCap(maxSent, maxBytes), sink);
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (/^Z_/.test(String((error as { code?: unknown }).code ?? "")))
      throw new AppError("invalid_request", "Request body is not valid gzip");
    return clientGone();
  }
  return Buffer.concat(chunks);
}

/**
 * A JSON body: readBodyBytes, then strict UTF-8 and no NUL (lib/api/json-text.ts). `empty` is what
 * an empty body means (management routes: {}; ingest: no default, so it is invalid JSON).
 */
export async function readJson(
  request: Request,
  { maxBytes, checkNul = true, empty }: { maxBytes: number; checkNul?: boolean; empty?: unknown },
): Promise<{ json: unknown; bytes: number }> {
  const bytes = await readBodyBytes(request, maxBytes);
  if (empty !== undefined && bytes.every((b) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09))
    return { json: empty, bytes: bytes.byteLength };
  return { json: parseJsonBytes(bytes, { checkNul }), bytes: bytes.byteLength };
}
