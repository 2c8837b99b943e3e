// Runs before every page: a fresh CSP nonce per request (Next.js applies it to its scripts during rendering),
// and the page's Content-Security-Policy. The static headers (and HSTS over https) of every response come from
// next.config.js; API routes are not matched, so the ingest path pays nothing here.
import { type NextRequest, NextResponse } from "next/server";
import { env } from "@/lib/env";
import { pageCsp, servedOverHttps } from "@/lib/security/headers";

export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const https = servedOverHttps(request.nextUrl, request.headers.get("x-forwarded-proto"));
  const csp = pageCsp(nonce, { dev: env().NODE_ENV === "development", https });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

export const config = {
  matcher: [
    {
      source: "/((?!api|v1|_next/static|_next/image|favicon.ico).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
