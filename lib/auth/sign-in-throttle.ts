// Sign-in throttling in front of next-auth's credentials callback: every attempt counts against the
// account (the e-mail) and the client address before the password is checked; a successful sign-in
// gives both back. A spent limit answers 429 with Retry-After, and next-auth's client reads the
// error "TooManyAttempts:<seconds>" so the sign-in page can say how long to wait. Every POST body is
// read first (lib/auth/auth-body.ts): a body that cannot be read is a 4xx, never next-auth's 500.
import { readAuthBody } from "@/lib/auth/auth-body";
import { consume, type Limit, refund, reset, ThrottledError } from "@/lib/auth/throttle";
import { env } from "@/lib/env";
import { toErrorBody } from "@/lib/errors";

export const TOO_MANY_ATTEMPTS = "TooManyAttempts";

export function signInLimits(): { account: Limit; address: Limit } {
  const e = env();
  return {
    account: {
      name: "signin-account",
      points: e.TRACKLAYER_LOGIN_MAX_ATTEMPTS,
      seconds: e.TRACKLAYER_LOGIN_WINDOW_SECONDS,
      message: "Too many sign-in attempts for this account. Wait before trying again.",
    },
    address: {
      name: "signin-address",
      points: e.TRACKLAYER_LOGIN_MAX_ATTEMPTS_PER_ADDRESS,
      seconds: e.TRACKLAYER_LOGIN_WINDOW_SECONDS,
      message: "Too many sign-in attempts from your network. Wait before trying again.",
    },
  };
}

/**
 * The client's address: the server (scripts/serve.ts, lib/runtime/client-address.ts) replaces
 * X-Forwarded-For with the one address it resolved from the socket and the trusted proxies.
 */
export function clientAddress(headers: Headers): string {
  const hops = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);
  return hops.at(-1) ?? "unknown";
}

/** Only a response that sets a session cookie is a sign-in (a refused CSRF token also redirects). */
function signedIn(response: Response): boolean {
  return response.headers.getSetCookie().some((c) => /^(__Secure-)?next-auth\.session-token(\.\d+)?=[^;]/.test(c));
}

function throttled(request: Request, form: Record<string, string>, error: ThrottledError): Response {
  const headers = { "retry-after": String(error.retryAfter), "content-type": "application/json" };
  const body = { error: { code: error.code, message: error.message } };
  // next-auth's client (signIn with redirect: false) posts json=true and reads the error from `url`.
  const url = new URL(`/signin?error=${TOO_MANY_ATTEMPTS}:${error.retryAfter}`, request.url).toString();
  return new Response(JSON.stringify(form.json === "true" ? { url, ...body } : body), { status: 429, headers });
}

/** TrackLayer's error answer ({ error: { code, message, issues? } }) for a body next-auth is never given. */
function refused(error: unknown): Response {
  const { status, body } = toErrorBody(error);
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

export function throttleSignIn<C>(handler: (request: Request, context: C) => Promise<Response>) {
  return async (request: Request, context: C): Promise<Response> => {
    if (request.method !== "POST") return handler(request, context);
    let read: Awaited<ReturnType<typeof readAuthBody>>;
    try {
      read = await readAuthBody(request);
    } catch (error) {
      return refused(error);
    }
    if (!new URL(request.url).pathname.endsWith("/callback/credentials")) return handler(read.request, context);
    const { form } = read;
    const email = String(form.email ?? "")
      .trim()
      .toLowerCase();
    const address = clientAddress(request.headers);
    const limits = signInLimits();
    try {
      await consume(limits.address, address);
      await consume(limits.account, email);
    } catch (error) {
      if (error instanceof ThrottledError) return throttled(request, form, error);
      throw error;
    }
    const response = await handler(read.request, context);
    if (signedIn(response)) {
      await reset(limits.account, email);
      await refund(limits.address, address);
    }
    return response;
  };
}
