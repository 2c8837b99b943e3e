// Heap's segment sync webhook: finds the workspace by the URL token, checks the Heap-Hash
// signature (HMAC-SHA256 of timestamp + body, stale after 60 s), maps the segment to an
// audience (the one whose source cohort names it, else a new one), and applies its adds and
// removes: at once for a single page, or when every page of the sync task has arrived.
import { createHmac, timingSafeEqual } from "node:crypto";
import { NextResponse } from "next/server";
import { readBodyBytes } from "@/lib/api/body";
import { decodeUtf8, parseJsonText } from "@/lib/api/json-text";
import {
  applyChange,
  applyStaged,
  deltaOf,
  inAudience,
  type Member,
  type MemberKind,
  once,
  stagePage,
} from "@/lib/audiences/membership";
import { db } from "@/lib/db";
import { openSecrets } from "@/lib/delivery/secret-box";
import { AppError, isUniqueViolation, parseInput, toErrorBody } from "@/lib/errors";
import { type HeapSegmentSync, heapSegmentSyncSchema, MAX_MEMBERS_BODY_BYTES } from "@/lib/validations/audiences";

export const HEAP_MAX_SKEW_MS = 60_000;

export function signHeapHash(body: string, secret: string, ts: number): string {
  return `ts:${ts},hmac:${createHmac("sha256", secret).update(`${ts}${body}`).digest("base64")}`;
}

/** Null when the header is a valid, fresh signature of the body; else why not. */
export function heapHashProblem(header: string | null, body: string, secret: string, now = Date.now()): string | null {
  const match = /^ts:(\d+),hmac:([A-Za-z0-9+/=]+)$/.exec(header?.trim() ?? "");
  if (!match) return "missing or malformed Heap-Hash header";
  const ts = Number(match[1]);
  if (Math.abs(now - ts) > HEAP_MAX_SKEW_MS) return "stale Heap-Hash timestamp";
  const expected = Buffer.from(signHeapHash(body, secret, ts));
  const given = Buffer.from(`ts:${match[1]},hmac:${match[2]}`);
  return expected.length === given.length && timingSafeEqual(expected, given)
    ? null
    : "Heap-Hash signature does not match";
}

export const heapCohort = (segmentId: string) => `heap:segment:${segmentId}`;

/** The audience a Heap segment feeds: by source cohort, else created (key heap-<segment id>). */
async function audienceFor(workspaceId: string, segment: { id: string; name: string }): Promise<string> {
  const sourceCohort = heapCohort(segment.id);
  const existing = await db().audience.findFirst({ where: { workspaceId, sourceCohort }, select: { key: true } });
  if (existing) return existing.key;
  const key = `heap-${segment.id.toLowerCase().replace(/[^a-z0-9_-]+/g, "-")}`.slice(0, 64);
  try {
    await db().audience.create({
      data: {
        workspaceId,
        key,
        name: segment.name,
        description: `Heap segment ${segment.id}, created by its first segment sync`,
        sourceCohort,
      },
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  const created = await db().audience.findFirst({ where: { workspaceId, sourceCohort }, select: { key: true } });
  if (!created)
    throw new AppError(
      "conflict",
      `Audience key ${key} is taken by another audience; set its source_cohort to ${sourceCohort} or rename it`,
    );
  return created.key;
}

/** Heap's adds and removes as members; an id in both lists of one page is ambiguous and left out. */
function pageMembers(data: HeapSegmentSync["data"], kind: MemberKind) {
  const removed = new Set(data.remove.map((r) => r.id));
  const added = new Set(data.add.map((a) => a.id));
  const toMember = (value: string): Member => ({ kind, value });
  return {
    adds: [...added].filter((id) => !removed.has(id)).map(toMember),
    removes: [...removed].filter((id) => !added.has(id)).map(toMember),
  };
}

export async function applyHeapPage(workspaceId: string, kind: MemberKind, sync: HeapSegmentSync) {
  const { segment, sync_info: info } = sync.data;
  const key = await audienceFor(workspaceId, segment);
  const { adds, removes } = pageMembers(sync.data, kind);
  return inAudience(workspaceId, key, (raw, audience) =>
    once(raw, audience.id, `heap:${info.sync_task_id}:${info.page_number}`, async () => {
      if (info.total_pages === 1) return applyChange(raw, audience, deltaOf(adds, removes), "heap", info.sync_task_id);
      const batchKey = `heap:${info.sync_task_id}`;
      const rows = [
        ...adds.map((member) => ({ action: "add", member })),
        ...removes.map((member) => ({ action: "remove", member })),
      ];
      const staged = await stagePage(raw, audience, {
        batchKey,
        mode: "delta",
        number: info.page_number,
        total: info.total_pages,
        rows,
      });
      if (!staged.complete)
        return {
          status: 200,
          body: {
            audience: audience.key,
            status: "pending",
            sync_task_id: info.sync_task_id,
            pages_received: staged.received.length,
            total_pages: info.total_pages,
          },
        };
      return applyStaged(raw, audience, batchKey, "delta", "heap", info.sync_task_id);
    }),
  );
}

const fail = (status: number, code: string, message: string) =>
  NextResponse.json({ error: { code, message } }, { status });

/** POST /api/integrations/heap/segment-sync?workspace=<token> */
export async function handleHeapSegmentSync(request: Request): Promise<NextResponse> {
  try {
    const token = new URL(request.url).searchParams.get("workspace") ?? "";
    const integration = token ? await db().heapIntegration.findUnique({ where: { urlToken: token } }) : null;
    if (!integration)
      return fail(403, "forbidden", "Unknown workspace token: copy the webhook URL from Audiences → Heap segment sync");
    const body = decodeUtf8(await readBodyBytes(request, MAX_MEMBERS_BODY_BYTES));
    const problem = heapHashProblem(
      request.headers.get("heap-hash"),
      body,
      openSecrets(integration.secretEncrypted).secret ?? "",
    );
    if (problem) return fail(403, "forbidden", problem);
    const json = parseJsonText(body);
    const answer = await applyHeapPage(
      integration.workspaceId,
      integration.identityKind as MemberKind,
      parseInput(heapSegmentSyncSchema, json),
    );
    return NextResponse.json({ ok: true, ...answer.body }, { status: 200 });
  } catch (error) {
    const { status, body } = toErrorBody(error);
    return NextResponse.json(body, { status });
  }
}
