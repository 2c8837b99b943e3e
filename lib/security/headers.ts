// The pages' Content-Security-Policy: a fresh script nonce per request (proxy.ts; Next.js puts the nonce
// on its own scripts). The static headers of every response, and HSTS over https, are in next.config.js.

/** A page's policy: scripts only with this request's nonce (and what they load), nothing from elsewhere. */
export function pageCsp(nonce: string, opts: { dev: boolean; https: boolean }): string {
  return [
    "default-src 'self'",
    // React needs eval in development only (readable server error stacks).
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ""}`,
    // Inline style attributes are used throughout; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(opts.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** Whether the request reached us over https (directly, or through a proxy that says so). */
export function servedOverHttps(url: URL, forwardedProto: string | null): boolean {
  return url.protocol === "https:" || forwardedProto?.split(",")[0]?.trim().toLowerCase() === "https";
}
