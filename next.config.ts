import type { NextConfig } from "next";
import { API_CSP, HSTS, STATIC_SECURITY_HEADERS } from "./lib/security/headers";

const headerList = (headers: Record<string, string>) => Object.entries(headers).map(([key, value]) => ({ key, value }));

const nextConfig: NextConfig = {
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
  // Security headers (lib/security/headers.ts): the same static ones everywhere; API answers get a CSP that
  // allows nothing (pages get theirs, with a nonce, from proxy.ts); HSTS only when served over https.
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
