// The body of a POST to next-auth (sign-in, callbacks, sign-out), read once through the API's own
// body reader (lib/api/body.ts: byte caps, gzip inflated as a stream, strict UTF-8, no NUL) and
// handed to next-auth as a plain request, so a compressed, oversized or unparseable body is a 4xx
// with TrackLayer's error body instead of an exception inside next-auth.
import { NextRequest } from "next/server";
import { readBodyBytes } from "@/lib/api/body";
import { assertNoNul, decodeUtf8, parseJsonBytes } from "@/lib/api/json-text";
import { AppError, parseInput } from "@/lib/errors";
import { authFormSchema } from "@/lib/validations/accounts";

/** A sign-in form is a few short fields: anything larger is not one. */
export const MAX_AUTH_BODY_BYTES = 16 * 1024;

const mediaType = (request: Request) => (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();

function parseForm(type: string, bytes: Buffer): Record<string, string> {
  if (type === "application/json") return parseInput(authFormSchema, bytes.byteLength ? parseJsonBytes(bytes) : {});
  if (type === "application/x-www-form-urlencoded") {
    const fields = Object.fromEntries(new URLSearchParams(decodeUtf8(bytes)));
    assertNoNul(fields); // a raw or %00-encoded NUL, refused like one in JSON
    return parseInput(authFormSchema, fields);
  }
  if (bytes.byteLength === 0) return {};
  throw new AppError(
    "unsupported_media_type",
    "Send the form as application/x-www-form-urlencoded or application/json",
  );
}

/**
 * The parsed fields and the request to give next-auth: the same URL and headers with the body as
 * read (inflated, so without Content-Encoding). Throws AppError (400, 413, 415) on a bad body.
 */
export async function readAuthBody(request: Request): Promise<{ form: Record<string, string>; request: NextRequest }> {
  const bytes = await readBodyBytes(request, MAX_AUTH_BODY_BYTES);
  const form = parseForm(mediaType(request), bytes);
  const headers = new Headers(request.headers);
  for (const name of ["content-encoding", "content-length", "transfer-encoding"]) headers.delete(name);
  return {
    form,
    request: new NextRequest(request.url, {
      method: request.method,
      headers,
      body: bytes.byteLength ? new Uint8Array(bytes) : undefined,
    }),
  };
}
