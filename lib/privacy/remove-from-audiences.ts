// Deletion step "audiences": removes the person from every audience they belong to on every
// platform it syncs to (Meta, Google Customer Match, LinkedIn DMP, webhooks), through the audience
// platforms' own removal requests (lib/audiences/platforms), sent now and answered into the receipt.
import { settingsOf } from "@/lib/audiences/manage-audiences";
import { audiencePlatforms, planSync } from "@/lib/audiences/platforms";
import type { ResolvedMember } from "@/lib/audiences/platforms/types";
import { database, db } from "@/lib/db";
import { refusedOutcome, send } from "@/lib/delivery/engine/send";
import { type DestinationRow, plainSettings } from "@/lib/privacy/platform-settings";
import { describeAnswer, type PlatformResult, redact } from "@/lib/privacy/receipt";
import type { Subject } from "@/lib/privacy/subject";

export interface PlatformCallOptions {
  fetchImpl?: typeof fetch;
  timeoutMs?: number;
  now?: Date;
}

type MemberRow = { audienceId: string; kind: ResolvedMember["kind"]; value: string; profileId: string | null };

/** The person's current memberships (by profile, user_id or anonymous_id). */
export async function membershipsOf(workspaceId: string, subject: Subject): Promise<MemberRow[]> {
  return database().raw.query<MemberRow>(
    `SELECT m."audienceId", m."kind", m."value", m."profileId" FROM "AudienceMember" m JOIN "Audience" a ON a."id" = m."audienceId"
     WHERE a."workspaceId" = $1 AND (m."profileId" = ANY($2::text[])
       OR (m."kind" = 'user_id' AND m."value" = ANY($3::text[])) OR (m."kind" = 'anonymous_id' AND m."value" = ANY($4::text[])))`,
    [workspaceId, subject.profiles.map((p) => p.id), subject.userIds, subject.anonymousIds],
  );
}

function resolved(row: MemberRow, subject: Subject): ResolvedMember {
  const profile =
    subject.profiles.find((p) => p.id === row.profileId) ??
    subject.profiles.find((p) => row.kind === "user_id" && p.userId === row.value) ??
    (subject.profiles.length === 1 ? subject.profiles[0] : undefined);
  return {
    kind: row.kind,
    value: row.value,
    userId: profile?.userId ?? (row.kind === "user_id" ? row.value : null),
    traits: profile?.traits ?? {},
  };
}

/** One result per (audience, destination); `done` keys (from an earlier run) are not sent again. */
export async function removeFromAudiences(
  workspaceId: string,
  subject: Subject,
  done: Set<string>,
  opts: PlatformCallOptions = {},
): Promise<PlatformResult[]> {
  const rows = await membershipsOf(workspaceId, subject);
  const audienceIds = [...new Set(rows.map((r) => r.audienceId))];
  const audiences = await db().audience.findMany({ where: { id: { in: audienceIds } } });
  const destinationIds = audiences.flatMap((a) => settingsOf(a).map((s) => s.destination_id));
  const destinations = new Map(
    (
      await db().destination.findMany({
        where: { id: { in: destinationIds }, workspaceId },
        omit: { secretsEncrypted: false },
      })
    ).map((d) => [d.id, d as DestinationRow]),
  );
  const results: PlatformResult[] = [];
  for (const audience of audiences) {
    const members = rows.filter((r) => r.audienceId === audience.id).map((r) => resolved(r, subject));
    for (const setting of settingsOf(audience)) {
      const destination = destinations.get(setting.destination_id);
      const key = `${audience.id}:${setting.destination_id}`;
      if (!destination || done.has(key)) continue;
      const base = { key, target: `${destination.name} — audience ${audience.key}`, type: destination.type };
      results.push({ ...base, ...(await removeAt(destination, setting, audience, members, subject, opts)) });
    }
  }
  return results;
}

async function removeAt(
  destination: DestinationRow,
  setting: { enabled: boolean; audience_id?: string },
  audience: { key: string; name: string },
  members: ResolvedMember[],
  subject: Subject,
  opts: PlatformCallOptions,
): Promise<Pick<PlatformResult, "outcome" | "status" | "message">> {
  const platform = audiencePlatforms[destination.type];
  if (!platform) return { outcome: "skipped", status: null, message: `${destination.type} takes no audiences` };
  if (!setting.enabled)
    return { outcome: "not_applicable", status: null, message: "the audience does not sync to this destination" };
  let settings: Awaited<ReturnType<typeof plainSettings>>;
  try {
    settings = await plainSettings(destination, opts.now ?? new Date(), opts.fetchImpl);
  } catch (error) {
    return { outcome: "failed", status: null, message: redact(`settings: ${(error as Error).message}`, subject) };
  }
  const target = {
    key: audience.key,
    name: audience.name,
    audienceId: setting.audience_id,
    ref: "privacy",
    full: false,
  };
  const problem = platform.check(target, settings);
  if (problem) return { outcome: "failed", status: null, message: `settings are incomplete: ${problem}` };
  const plan = planSync(platform, [], members, target, settings);
  if (plan.requests.length === 0)
    return {
      outcome: "not_applicable",
      status: null,
      message: "no identifier this platform matches: nothing was sent",
    };
  let last = { status: null as number | null, message: "" };
  for (const request of plan.requests) {
    const exchange = await send(request, opts.timeoutMs ?? 30_000, opts.fetchImpl);
    const outcome = refusedOutcome(exchange.answer) ?? platform.classify(exchange.answer);
    last = describeAnswer(exchange, subject);
    if (outcome.outcome !== "success") return { outcome: "failed", ...last };
  }
  return { outcome: "done", status: last.status, message: `removed (${plan.removes} identifier set(s))` };
}
