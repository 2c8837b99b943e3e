// The first-run checklist of a workspace, judged from what is stored: a write key, a first event, an approved
// mapping, a destination in test mode, one event whose four inspector checks pass. Cheap queries only
// (one row each, never a count over events); the trace is built only once everything before it is done.
import { type Actor, assertCan } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { getTrace } from "@/lib/inspector/trace";

/** How many of the newest events the last step looks at (index range, never a scan). */
const RECENT_EVENTS = 20;

export type OnboardingStepKey = "write_key" | "first_event" | "approved_mapping" | "test_destination" | "validated";

export interface OnboardingFacts {
  /** The newest active write key: its prefix and its source's key (for the ready-to-copy call). */
  writeKey: { prefix: string; source: string } | null;
  /** The newest received event's row id. */
  firstEventId: string | null;
  approvedMappingId: string | null;
  testDestinationId: string | null;
  /** An event whose four checks pass (a recorded validation, or the newest delivered event's trace). */
  validatedEventId: string | null;
  /** The newest delivered event when its checks do not all pass yet: where to look. */
  lastTriedEventId: string | null;
}

export interface OnboardingStep {
  key: OnboardingStepKey;
  title: string;
  done: boolean;
  /** Where to do it. */
  href: string;
  help: string;
}

export interface OnboardingState {
  steps: OnboardingStep[];
  done: boolean;
  writeKey: OnboardingFacts["writeKey"];
}

/** The five steps from the facts (pure). */
export function onboardingSteps(f: OnboardingFacts): OnboardingState {
  const steps: OnboardingStep[] = [
    {
      key: "write_key",
      title: "Create a write key",
      done: f.writeKey !== null,
      href: "/sources",
      help: "A write key authenticates your calls to /api/capture and names the source they come from.",
    },
    {
      key: "first_event",
      title: "Send your first event",
      done: f.firstEventId !== null,
      href: f.firstEventId ? `/events/${f.firstEventId}` : "/events",
      help: "Send the call below with your write key; this list ticks as soon as the event arrives.",
    },
    {
      key: "approved_mapping",
      title: "Approve a mapping",
      done: f.approvedMappingId !== null,
      href: f.approvedMappingId ? `/mappings/${f.approvedMappingId}` : "/mappings",
      help: "A mapping turns a source event into a canonical event; only approved mappings are delivered.",
    },
    {
      key: "test_destination",
      title: "Add a destination in test mode",
      done: f.testDestinationId !== null,
      href: "/destinations",
      help: "Test mode sends to the platform's test channel (test event codes, debug endpoints), not live data.",
    },
    {
      key: "validated",
      title: "Validate one event end to end",
      done: f.validatedEventId !== null,
      href: f.validatedEventId
        ? `/events/${f.validatedEventId}`
        : f.lastTriedEventId
          ? `/events/${f.lastTriedEventId}`
          : "/inspector",
      help: "Tick the destination on the approved mapping, send an event, and check that all four inspector checks pass.",
    },
  ];
  return { steps, done: steps.every((s) => s.done), writeKey: f.writeKey };
}

/** The newest of the last few events that reached a destination, and whether its four checks pass (one trace). */
async function deliveredEventVerdict(actor: Actor): Promise<{ id: string; passed: boolean } | null> {
  const recent = await db().event.findMany({
    where: { workspaceId: actor.workspaceId },
    orderBy: { receivedAt: "desc" },
    take: RECENT_EVENTS,
    select: { id: true },
  });
  const delivered = await db().delivery.findFirst({
    where: { eventRowId: { in: recent.map((e) => e.id) }, status: "succeeded" },
    orderBy: { deliveredAt: "desc" },
    select: { eventRowId: true },
  });
  if (!delivered) return null;
  const trace = await getTrace(actor, delivered.eventRowId);
  return { id: delivered.eventRowId, passed: trace.outcome === "pass" };
}

/** Reads the facts for the actor's workspace. */
export async function loadOnboardingFacts(actor: Actor): Promise<OnboardingFacts> {
  const workspaceId = actor.workspaceId;
  const [key, event, mapping, destination, validation] = await Promise.all([
    db().writeKey.findFirst({
      where: { workspaceId, revokedAt: null },
      orderBy: { createdAt: "desc" },
      select: { prefix: true, defaultSource: { select: { key: true } } },
    }),
    db().event.findFirst({ where: { workspaceId }, orderBy: { receivedAt: "desc" }, select: { id: true } }),
    db().mapping.findFirst({ where: { workspaceId, status: "approved" }, select: { id: true } }),
    db().destination.findFirst({ where: { workspaceId, testMode: true }, select: { id: true } }),
    db().mappingValidation.findFirst({
      where: { workspaceId, outcome: "passed" },
      orderBy: { createdAt: "desc" },
      select: { eventRowId: true },
    }),
  ]);
  const before = Boolean(key && event && mapping && destination);
  const verdict = !validation && before ? await deliveredEventVerdict(actor) : null;
  return {
    writeKey: key ? { prefix: key.prefix, source: key.defaultSource.key } : null,
    firstEventId: event?.id ?? null,
    approvedMappingId: mapping?.id ?? null,
    testDestinationId: destination?.id ?? null,
    validatedEventId: validation?.eventRowId ?? (verdict?.passed ? verdict.id : null),
    lastTriedEventId: verdict && !verdict.passed ? verdict.id : null,
  };
}

/** The checklist of the actor's workspace. */
export async function getOnboardingState(actor: Actor): Promise<OnboardingState> {
  assertCan(actor, "workspace.read");
  return onboardingSteps(await loadOnboardingFacts(actor));
}
