// Ingest-time suppression: a call of a suppressed person (user_id, anonymous_id, or an e-mail in
// properties.email / context.traits.email / identify traits) is stored without personal data —
// no ids, properties, context or payload, no profile, no links, no outbox rows — and answered
// 202 suppressed. One cached set per workspace (lib/privacy/suppressions.ts), no query per call.
import type { Call, CallResult, EventCall } from "@/lib/ingest/calls";
import { isSuppressed, suppressedSet } from "@/lib/privacy/suppressions";

/** What a suppressed event's payload column holds instead of the call as received. */
export const SUPPRESSED_PAYLOAD = { suppressed: true } as const;

const text = (v: unknown) => (typeof v === "string" ? v : undefined);
const record = (v: unknown) =>
  v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : ({} as Record<string, unknown>);

function identifiersOf(call: Call) {
  if (call.kind === "identify")
    return [
      { kind: "user_id" as const, value: call.userId },
      { kind: "anonymous_id" as const, value: call.anonymousId },
      { kind: "email" as const, value: text(call.traits.email) },
    ];
  return [
    { kind: "user_id" as const, value: call.userId },
    { kind: "anonymous_id" as const, value: call.anonymousId },
    { kind: "user_id" as const, value: call.link?.userId },
    { kind: "anonymous_id" as const, value: call.link?.anonymousId },
    { kind: "email" as const, value: text(call.properties.email) },
    { kind: "email" as const, value: text(record(record(call.context).traits).email) },
  ];
}

/** The event as stored for a suppressed person: its event_id (dedup stays exact), name, times, nothing personal. */
function scrubbed(e: EventCall): EventCall {
  return {
    ...e,
    status: "suppressed",
    userId: null,
    anonymousId: null,
    properties: {},
    context: null,
    payload: SUPPRESSED_PAYLOAD,
    problems: null,
    destinationIds: [],
    link: undefined,
    hint: undefined,
  };
}

export interface SuppressionSplit {
  /** Calls to store: suppressed events scrubbed; suppressed identify calls left out. */
  calls: Call[];
  /** Index (in the input) of each suppressed identify call: answered without being stored. */
  dropped: Map<number, CallResult>;
}

const SUPPRESSED_IDENTIFY: CallResult = { status: 202, body: { status: "suppressed" } };

/** Applies the workspaces' suppression lists to a group of calls. */
export async function applySuppressions(calls: Call[]): Promise<SuppressionSplit> {
  const workspaces = [...new Set(calls.map((c) => c.workspaceId))];
  const sets = new Map(await Promise.all(workspaces.map(async (w) => [w, await suppressedSet(w)] as const)));
  const dropped = new Map<number, CallResult>();
  const kept: Call[] = [];
  calls.forEach((call, index) => {
    const set = sets.get(call.workspaceId)!;
    if (!isSuppressed(set, call.workspaceId, identifiersOf(call))) kept.push(call);
    else if (call.kind === "identify") dropped.set(index, SUPPRESSED_IDENTIFY);
    else kept.push(scrubbed(call));
  });
  return { calls: kept, dropped };
}

/** Puts the answers of dropped calls back in their places. */
export function mergeAnswers(total: number, split: SuppressionSplit, stored: CallResult[]): CallResult[] {
  const out: CallResult[] = [];
  let next = 0;
  for (let i = 0; i < total; i++) out.push(split.dropped.get(i) ?? stored[next++]!);
  return out;
}
