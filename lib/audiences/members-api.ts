// The members endpoints' HTTP side: write-key auth, a body limit raised for this route only
// (100k-member snapshots fit in one call; gzip accepted), validation, the replay header.
import { NextResponse } from "next/server";
import type { z } from "zod";
import type { MembersAnswer } from "@/lib/audiences/membership";
import { parseInput } from "@/lib/errors";
import { ingestError, readBody } from "@/lib/ingest/http";
import { assertLiveKey, authenticateWriteKey, writeKeyFromHeaders } from "@/lib/ingest/write-keys";
import { audienceKeyParams, MAX_MEMBERS_BODY_BYTES } from "@/lib/validations/audiences";

type Apply<I> = (workspaceId: string, key: string, input: I) => Promise<MembersAnswer & { replayed: boolean }>;

export function handleMembers<S extends z.ZodType>(schema: S, apply: Apply<z.output<S>>) {
  return async (request: Request, context: { params: Promise<Record<string, string>> }) => {
    try {
      const writeKey = await authenticateWriteKey(writeKeyFromHeaders(request.headers));
      assertLiveKey(writeKey, "changing audience members");
      const { key } = parseInput(audienceKeyParams, await context.params, "path");
      const { json } = await readBody(request, MAX_MEMBERS_BODY_BYTES);
      const answer = await apply(writeKey.workspaceId, key, parseInput(schema, json));
      return NextResponse.json(answer.body, {
        status: answer.status,
        headers: answer.replayed ? { "idempotent-replayed": "true" } : {},
      });
    } catch (error) {
      return ingestError(error);
    }
  };
}
