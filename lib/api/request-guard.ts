// Cross-site request forgery guard for the management API, applied by apiRoute (and the few
// routes that do not use it). A browser sends cookies with a form or text/plain POST from any
// site sharing the registrable domain (a sibling subdomain, another port), so:
// - a mutation carries JSON (application/json), which a cross-site page cannot send without
//   a CORS preflight we never answer — else 415 unsupported_media_type;
// - a cookie-authenticated mutation must come from our own origin, judged by Sec-Fetch-Site
//   (every current browser sends it) or else Origin — else 403 cross_site_request.
// Calls with an Authorization header (personal access tokens) carry no ambient credential: exempt
// from the origin check. Clients that send neither header are not browsers and cannot carry a
// victim's cookie.
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

const isJson = (contentType: string) => {
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  return type === "application/json" || /^application\/[\w.-]+\+json$/.test(type);
};

function hasBody(request: Request): boolean {
  const length = request.headers.get("content-length");
  return request.headers.has("transfer-encoding") || (length !== null && length !== "0");
}

/** The hosts (name:port) this app answers as: the request's own, a proxy's, NEXTAUTH_URL's. */
function ownHosts(request: Request): string[] {
  const hosts = [request.headers.get("host"), request.headers.get("x-forwarded-host"), new URL(request.url).host];
  const configured = env().NEXTAUTH_URL;
  if (configured) hosts.push(new URL(configured).host);
  return hosts.filter((h): h is string => Boolean(h)).map((h) => h.toLowerCase());
}

function sameOrigin(request: Request): boolean {
  const site = request.headers.get("sec-fetch-site");
  if (site) return site === "same-origin" || site === "none";
  const origin = request.headers.get("origin");
  if (origin === null) return true;
  try {
    return ownHosts(request).includes(new URL(origin).host.toLowerCase());
  } catch {
    return false; // "null" (sandboxed frames, file://) or garbage
  }
}

/** Throws 415 / 403 for a mutation a browser could have been tricked into sending. */
export function assertSafeMutation(request: Request): void {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return;
  const contentType = request.headers.get("content-type");
  if (contentType !== null ? !isJson(contentType) : hasBody(request))
    throw new AppError("unsupported_media_type", "Send the request body as JSON (Content-Type: application/json)");
  if (!request.headers.has("authorization") && !sameOrigin(request))
    throw new AppError(
      "cross_site_request",
      "Cross-site request refused: signed-in changes must come from TrackLayer's own pages (or use a personal access token)",
    );
}
