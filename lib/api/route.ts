// The wrapper every management API route uses: authenticate, check the permission, parse
// params / query / body with zod, call one lib function, translate any error.
import { NextResponse } from "next/server";
import type { z } from "zod";
import { readJson } from "@/lib/api/body";
import { assertSafeMutation } from "@/lib/api/request-guard";
import { type Actor, assertCan } from "@/lib/auth/actor";
import { requireApiActor } from "@/lib/auth/context";
import type { Permission } from "@/lib/auth/permissions";
import { parseInput, toErrorBody } from "@/lib/errors";

const MAX_BODY_BYTES = 256 * 1024;

interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  /** Checked before anything else is read; omit when the handler decides (e.g. by body content). */
  permission?: Permission;
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
  const { status, body } = toErrorBody(error);
  return NextResponse.json(body, { status });
}

/** A management route's JSON body (an empty body is {}); see lib/api/body.ts. */
export async function readJsonBody(request: Request, maxBytes = MAX_BODY_BYTES): Promise<unknown> {
  return (await readJson(request, { maxBytes, empty: {} })).json;
}

export function apiRoute<
  P extends z.ZodType = z.ZodUnknown,
  Q extends z.ZodType = z.ZodUnknown,
  B extends z.ZodType = z.ZodUnknown,
>(spec: RouteSpec<P, Q, B>, handler: (ctx: RouteContext<z.output<P>, z.output<Q>, z.output<B>>) => Promise<unknown>) {
  return async (request: Request, context: { params: Promise<Record<string, string>> }) => {
    try {
      assertSafeMutation(request);
      const actor = await requireApiActor();
      if (spec.permission) assertCan(actor, spec.permission);
      const params = spec.params ? parseInput(spec.params, await context.params, "path") : undefined;
      const query = spec.query
        ? parseInput(spec.query, Object.fromEntries(new URL(request.url).searchParams), "query")
        : undefined;
      const body = spec.body ? parseInput(spec.body, await readJsonBody(request)) : undefined;
      const result = await handler({ actor, params, query, body, request } as RouteContext<
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
