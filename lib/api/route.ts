// The wrappers every management API route uses: guard mutations against CSRF, authenticate (a
// workspace member with a permission, or a person), parse params / query / body with zod, call
// one lib function, translate any error.
import { NextResponse } from "next/server";
import type { z } from "zod";
import { readJson } from "@/lib/api/body";
import { assertJsonDepth } from "@/lib/api/json-depth";
import { assertSafeMutation } from "@/lib/api/request-guard";
import { type Actor, assertCan } from "@/lib/auth/actor";
import { requireApiActor, requireApiUser, requireSessionUser } from "@/lib/auth/context";
import type { Permission } from "@/lib/auth/permissions";
import { parseInput, toErrorBody } from "@/lib/errors";

const MAX_BODY_BYTES = 256 * 1024;

/**
 * "by-content": the permission depends on what the request asks for (which fields a PATCH changes,
 * which workflow verb, a test key or a live one), so the lib function checks it once it knows.
 * Each such route has role tests over HTTP (e2e/api-access.spec.ts, registry-plan, registry-apply).
 */
export const BY_CONTENT = "by-content";

interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  params?: P;
  query?: Q;
  body?: B;
}

interface RouteContext<P, Q, B> {
  actor: Actor;
  params: P;
  query: Q;
  body: B;
  request: Request;
}

export function json(data: unknown, status = 200): NextResponse {
  return NextResponse.json(data, { status });
}

export function errorResponse(error: unknown): NextResponse {
  const { status, body, retryAfter } = toErrorBody(error);
  return NextResponse.json(body, { status, headers: retryAfter ? { "retry-after": String(retryAfter) } : undefined });
}

/** A management route's JSON body (an empty body is {}; nested at most MAX_JSON_DEPTH); see lib/api/body.ts. */
export async function readJsonBody(request: Request, maxBytes = MAX_BODY_BYTES): Promise<unknown> {
  const { json } = await readJson(request, { maxBytes, empty: {} });
  assertJsonDepth(json);
  return json;
}

type Parts<P, Q, B> = { params: P; query: Q; body: B; request: Request };

/**
 * What every route shares: the CSRF guard on mutations, then params / query / body parsed with
 * zod (after `authenticate`, so a stranger learns nothing from validation errors), then the
 * handler; any error becomes TrackLayer's error answer.
 */
function route<W, P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(
  spec: RouteSpec<P, Q, B>,
  authenticate: () => Promise<W>,
  handler: (who: W, parts: Parts<z.output<P>, z.output<Q>, z.output<B>>) => Promise<unknown>,
) {
  return async (request: Request, context?: { params: Promise<Record<string, string>> }) => {
    try {
      assertSafeMutation(request);
      const who = await authenticate();
      const params = spec.params ? parseInput(spec.params, await context?.params, "path") : undefined;
      const query = spec.query
        ? parseInput(spec.query, Object.fromEntries(new URL(request.url).searchParams), "query")
        : undefined;
      const body = spec.body ? parseInput(spec.body, await readJsonBody(request)) : undefined;
      const result = await handler(who, { params, query, body, request } as Parts<
        z.output<P>,
        z.output<Q>,
        z.output<B>
      >);
      return result instanceof Response ? result : json(result);
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/**
 * A workspace route: the caller acts as a member of the selected workspace, with `permission` checked
 * first. Required, so a new route cannot forget it: a Permission, or BY_CONTENT when the lib function
 * decides.
 */
export function apiRoute<
  P extends z.ZodType = z.ZodUnknown,
  Q extends z.ZodType = z.ZodUnknown,
  B extends z.ZodType = z.ZodUnknown,
>(
  spec: RouteSpec<P, Q, B> & { permission: Permission | typeof BY_CONTENT },
  handler: (ctx: RouteContext<z.output<P>, z.output<Q>, z.output<B>>) => Promise<unknown>,
) {
  return route(
    spec,
    async () => {
      const actor = await requireApiActor();
      if (spec.permission !== BY_CONTENT) assertCan(actor, spec.permission);
      return actor;
    },
    (actor, parts) => handler({ actor, ...parts }),
  );
}

/** Who a person route serves: any signed-in person (session or token), a signed-in session only, or anyone. */
const PEOPLE = {
  user: requireApiUser,
  session: requireSessionUser,
  public: async () => null,
} as const;

type Person<A extends keyof typeof PEOPLE> = Awaited<ReturnType<(typeof PEOPLE)[A]>>;

/**
 * A route for a person rather than a workspace role: their workspaces, their own password, or no
 * one yet (accepting an invitation, resetting a password). The same guard, parsing and answers.
 */
export function personRoute<
  A extends keyof typeof PEOPLE,
  P extends z.ZodType = z.ZodUnknown,
  Q extends z.ZodType = z.ZodUnknown,
  B extends z.ZodType = z.ZodUnknown,
>(
  spec: RouteSpec<P, Q, B> & { auth: A },
  handler: (ctx: { user: Person<A> } & Parts<z.output<P>, z.output<Q>, z.output<B>>) => Promise<unknown>,
) {
  return route(spec, PEOPLE[spec.auth] as () => Promise<Person<A>>, (user, parts) => handler({ user, ...parts }));
}
