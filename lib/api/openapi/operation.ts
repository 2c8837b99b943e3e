// OpenAPI: the operation shape every management route shares (auth, params, body, the error answers).
import { z } from "zod";
import type { ZodOpenApiOperationObject } from "zod-openapi";
import { idSchema } from "@/lib/validations/common";

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ example: "invalid_request" }),
      message: z.string(),
      issues: z.array(z.object({ path: z.string(), message: z.string(), code: z.string().optional() })).optional(),
    }),
  })
  .meta({ id: "Error" });

export const idPath = z.object({ id: idSchema });

interface OpSpec {
  summary: string;
  tag: string;
  path?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  created?: boolean;
  /** A lookup by query that answers 404 when nothing matches. */
  notFound?: boolean;
}

export function op({ summary, tag, path, query, body, created, notFound }: OpSpec): ZodOpenApiOperationObject {
  const fail = (description: string) => ({ description, content: { "application/json": { schema: errorSchema } } });
  return {
    summary,
    tags: [tag],
    ...(path || query ? { requestParams: { ...(path ? { path } : {}), ...(query ? { query } : {}) } } : {}),
    ...(body ? { requestBody: { content: { "application/json": { schema: body } } } } : {}),
    responses: {
      [created ? "201" : "200"]: { description: created ? "Created" : "OK" },
      "400": fail("Malformed JSON or invalid fields (issues carry field paths)"),
      "401": fail("No session and no valid bearer token"),
      "403": fail("Your role does not allow this"),
      ...(path || notFound ? { "404": fail("Not found in this workspace") } : {}),
      ...(body
        ? { "409": fail("Conflict with the current state"), "422": fail("Valid JSON that does not fit the registry") }
        : {}),
    },
  };
}

/** An error answer described by the shared error schema. */
export const failure = (description: string) => ({
  description,
  content: { "application/json": { schema: errorSchema } },
});
