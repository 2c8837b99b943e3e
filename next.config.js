// Security headers of every response. Pages also get a Content-Security-Policy with a fresh script
// nonce per request from proxy.ts (lib/security/headers.ts); API answers are data, never documents,
// so their policy allows nothing; HSTS only when the request came over https.
const STATIC_SECURITY_HEADERS = {
  "X-Frame-Options": "DENY",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
  "Cross-Origin-Opener-Policy": "same-origin",
};
const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
const HSTS = "max-age=31536000; includeSubDomains";

/** @param {Record<string, string>} headers */
const headerList = (headers) => Object.entries(headers).map(([key, value]) => ({ key, value }));

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native and WebAssembly packages load from node_modules at run time, not from the bundle.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "pglite-prisma-adapter",
    "@prisma/adapter-pg",
    "pg",
    "@node-rs/argon2",
  ],
  poweredByHeader: false,
  typescript: { ignoreBuildErrors: false },
  async headers() {
    return [
      { source: "/:path*", headers: headerList(STATIC_SECURITY_HEADERS) },
      { source: "/api/:path*", headers: headerList({ "Content-Security-Policy": API_CSP }) },
      { source: "/v1/:path*", headers: headerList({ "Content-Security-Policy": API_CSP }) },
      {
        source: "/:path*",
        has: [{ type: "header", key: "x-forwarded-proto", value: "https" }],
        headers: headerList({ "Strict-Transport-Security": HSTS }),
      },
    ];
  },
};

export default nextConfig;
