// Every dashboard page on disk (app/(dashboard)/**/page.tsx) as a URL the a11y spec can open. A page with a
// [param] segment needs an entry in PARAM_URLS naming a concrete record; a new page without one fails the spec.
import { readdirSync, statSync } from "node:fs";
import path from "node:path";

/** Records created by e2e/support/page-data.ts for the pages that show one record. */
export interface PageData {
  mappingId: string;
  eventId: string;
  deliveryId: string;
  audienceKey: string;
}

export const PARAM_URLS: Record<string, (d: PageData) => string> = {
  "/audiences/[key]": (d) => `/audiences/${d.audienceKey}`,
  "/deliveries/[id]": (d) => `/deliveries/${d.deliveryId}`,
  "/events/[id]": (d) => `/events/${d.eventId}`,
  "/mappings/[id]": (d) => `/mappings/${d.mappingId}`,
  "/mappings/[id]/validate": (d) => `/mappings/${d.mappingId}/validate`,
};

const DASHBOARD = path.join("app", "(dashboard)");

/** The routes of app/(dashboard)/**\/page.tsx, route groups "(…)" left out: "/", "/mappings", "/mappings/[id]", … */
export function dashboardRoutes(dir = DASHBOARD, segments: string[] = []): string[] {
  const routes: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) {
      const next = name.startsWith("(") && name.endsWith(")") ? segments : [...segments, name];
      routes.push(...dashboardRoutes(full, next));
    } else if (name === "page.tsx") {
      routes.push(`/${segments.join("/")}`);
    }
  }
  return routes;
}

/** The URL to open for a route: itself, or its PARAM_URLS entry (an error when the entry is missing). */
export function urlOf(route: string, data: PageData): string {
  if (!route.includes("[")) return route;
  const make = PARAM_URLS[route];
  if (!make)
    throw new Error(`${route} has [param] segments but no entry in PARAM_URLS (e2e/support/dashboard-pages.ts)`);
  return make(data);
}
