// Deletion step "destinations": the erasure APIs of destinations that have one.
// HubSpot: POST {base}/crm/v3/objects/contacts/gdpr-delete { objectId: <e-mail>, idProperty: "email" }
//   (bearer token; an unknown e-mail is blocklisted by HubSpot, so 2xx and 404 both mean "gone").
// Heap: POST {base}/api/public/v0/auth_token (Basic app_id:api_key) → { access_token }, then
//   POST {base}/api/public/v0/user_deletion { users: [{ identity }] } (bearer), identity = user_id
//   (what TrackLayer's trait sync sends). Needs the secret `api_key`; without it the step says so.
import { db } from "@/lib/db";
import { joinUrl } from "@/lib/delivery/destinations/shared";
import type { HttpRequestSpec } from "@/lib/delivery/destinations/types";
import { type Exchange, send } from "@/lib/delivery/engine/send";
import { type DestinationRow, plainSettings } from "@/lib/privacy/platform-settings";
import { describeAnswer, type PlatformResult, redact } from "@/lib/privacy/receipt";
import type { PlatformCallOptions } from "@/lib/privacy/remove-from-audiences";
import type { Subject } from "@/lib/privacy/subject";

type Result = Pick<PlatformResult, "outcome" | "status" | "message">;
type Settings = Awaited<ReturnType<typeof plainSettings>>;

const post = (url: string, headers: Record<string, string>, body: unknown): HttpRequestSpec => {
  const text = body === undefined ? "" : JSON.stringify(body);
  return {
    method: "POST",
    url,
    headers: { ...(text ? { "content-type": "application/json" } : {}), ...headers },
    body: text,
    log: { url, headers: {}, body: null },
  };
};

const ok = (e: Exchange) => !("networkError" in e.answer) && e.answer.status >= 200 && e.answer.status < 300;
const statusOf = (e: Exchange) => ("networkError" in e.answer ? null : e.answer.status);

async function hubspotDelete(settings: Settings, subject: Subject, opts: PlatformCallOptions): Promise<Result> {
  if (subject.emails.length === 0)
    return {
      outcome: "not_applicable",
      status: null,
      message: "no e-mail known for this person: HubSpot erases by e-mail",
    };
  const token = settings.secrets.access_token;
  if (!token)
    return {
      outcome: "skipped",
      status: null,
      message: "the destination has no access_token: erase the contact in HubSpot",
    };
  let last: Result = { outcome: "done", status: null, message: "" };
  for (const email of subject.emails) {
    const request = post(
      joinUrl(settings.baseUrl, "/crm/v3/objects/contacts/gdpr-delete"),
      { Authorization: `Bearer ${token}` },
      { objectId: email, idProperty: "email" },
    );
    const exchange = await send(request, opts.timeoutMs ?? 30_000, opts.fetchImpl);
    const answer = describeAnswer(exchange, subject);
    if (!ok(exchange) && statusOf(exchange) !== 404) return { outcome: "failed", ...answer };
    last = {
      outcome: "done",
      status: answer.status,
      message: statusOf(exchange) === 404 ? "no such contact in HubSpot" : "contact permanently deleted (GDPR)",
    };
  }
  return last;
}

async function heapDelete(settings: Settings, subject: Subject, opts: PlatformCallOptions): Promise<Result> {
  if (subject.userIds.length === 0)
    return {
      outcome: "not_applicable",
      status: null,
      message: "no user_id known for this person: Heap erases by identity",
    };
  const appId = String(settings.config.app_id ?? "");
  const apiKey = settings.secrets.api_key;
  if (!apiKey)
    return {
      outcome: "skipped",
      status: null,
      message: "no api_key in the Heap destination's secrets: request the deletion in Heap (Privacy & Security)",
    };
  const basic = Buffer.from(`${appId}:${apiKey}`).toString("base64");
  const auth = await send(
    post(joinUrl(settings.baseUrl, "/api/public/v0/auth_token"), { Authorization: `Basic ${basic}` }, undefined),
    opts.timeoutMs ?? 30_000,
    opts.fetchImpl,
  );
  const token =
    ok(auth) && "body" in auth.answer ? (auth.answer.body as { access_token?: string })?.access_token : null;
  if (!token) return { outcome: "failed", ...describeAnswer(auth, subject), message: "Heap refused the api_key" };
  const exchange = await send(
    post(
      joinUrl(settings.baseUrl, "/api/public/v0/user_deletion"),
      { Authorization: `Bearer ${token}` },
      { users: subject.userIds.map((identity) => ({ identity })) },
    ),
    opts.timeoutMs ?? 30_000,
    opts.fetchImpl,
  );
  const answer = describeAnswer(exchange, subject);
  return ok(exchange) ? { outcome: "done", ...answer } : { outcome: "failed", ...answer };
}

const DELETERS = { hubspot: hubspotDelete, heap: heapDelete } as const;

/** One result per HubSpot / Heap destination (enabled or not: its data is still there); `done` keys are skipped. */
export async function deleteAtDestinations(
  workspaceId: string,
  subject: Subject,
  done: Set<string>,
  opts: PlatformCallOptions = {},
): Promise<PlatformResult[]> {
  const destinations = await db().destination.findMany({
    where: { workspaceId, type: { in: ["hubspot", "heap"] } },
    omit: { secretsEncrypted: false },
    orderBy: { createdAt: "asc" },
  });
  const results: PlatformResult[] = [];
  for (const d of destinations as DestinationRow[]) {
    if (done.has(d.id)) continue;
    const base = { key: d.id, target: d.name, type: d.type };
    try {
      const settings = await plainSettings(d, opts.now ?? new Date(), opts.fetchImpl);
      results.push({ ...base, ...(await DELETERS[d.type as keyof typeof DELETERS](settings, subject, opts)) });
    } catch (error) {
      results.push({ ...base, outcome: "failed", status: null, message: redact((error as Error).message, subject) });
    }
  }
  return results;
}
