// The client's address for throttling, decided once at the HTTP server from the socket and the
// number of reverse proxies the operator trusts (TRACKLAYER_TRUSTED_PROXIES). A client cannot choose
// it by sending its own X-Forwarded-For: with no trusted proxy the header is ignored, and with N the
// address is the one the outermost trusted proxy saw.
import type { IncomingMessage, RequestListener } from "node:http";

export const CLIENT_ADDRESS_HEADER = "x-forwarded-for";

/**
 * The hops are the X-Forwarded-For entries followed by the socket's address; each trusted proxy
 * appended the one before it, so the client is `trustedProxies` hops before the last.
 */
export function resolveClientAddress(
  forwardedFor: string | undefined,
  socketAddress: string | undefined,
  trustedProxies: number,
): string {
  const hops = (forwardedFor ?? "")
    .split(",")
    .map((hop) => hop.trim())
    .filter(Boolean);
  hops.push(socketAddress ?? "unknown");
  return hops[Math.max(0, hops.length - 1 - trustedProxies)] ?? "unknown";
}

/** Rewrites X-Forwarded-For to the one resolved client address before Next.js sees the request. */
export function withClientAddress(handle: RequestListener, trustedProxies: number): RequestListener {
  return (request: IncomingMessage, response) => {
    const header = request.headers[CLIENT_ADDRESS_HEADER];
    const forwardedFor = Array.isArray(header) ? header.join(",") : header;
    request.headers[CLIENT_ADDRESS_HEADER] = resolveClientAddress(
      forwardedFor,
      request.socket.remoteAddress,
      trustedProxies,
    );
    handle(request, response);
  };
}
