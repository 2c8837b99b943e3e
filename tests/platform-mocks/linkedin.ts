// LinkedIn Conversions API mock: POST /rest/conversionEvents with the REST.li headers; single
// create → 201, BATCH_CREATE → { elements: [{ status }] } per element. conversionHappenedAt must be
// epoch milliseconds within 90 days. Dedup key: conversion rule + eventId.
import { bearer, isObject, type Received, type Reply, SHA256_HEX, startPlatformMock } from "./core";

const NINETY_DAYS_MS = 90 * 24 * 60 * 60 * 1000;
/** The newest LinkedIn-Version this mock serves, and the oldest not yet sunset (a version lives about a year). */
export const LINKEDIN_LATEST = "202607";
const LINKEDIN_OLDEST = "202507";
const ID_TYPES = new Set(["SHA256_EMAIL", "LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID", "ACXIOM_ID", "ORACLE_MOAT_ID"]);

const failure = (status: number, message: string, serviceErrorCode = 100) => ({ status, message, serviceErrorCode });

/** Why LinkedIn would refuse one conversion event, or null. */
export function linkedinElementProblem(e: unknown, nowMs = Date.now()): string | null {
  if (!isObject(e)) return "the conversion event must be an object";
  if (!/^urn:lla:llaPartnerConversion:\d+$/.test(String(e.conversion)))
    return `conversion must be urn:lla:llaPartnerConversion:<id>, got ${JSON.stringify(e.conversion)}`;
  const t = e.conversionHappenedAt;
  if (typeof t !== "number" || !Number.isInteger(t) || t < 1e12)
    return `conversionHappenedAt must be epoch milliseconds, got ${String(t)}`;
  if (t > nowMs + 60_000 || t < nowMs - NINETY_DAYS_MS) return "conversionHappenedAt must be within the last 90 days";
  if (e.conversionValue !== undefined) {
    const v = isObject(e.conversionValue) ? e.conversionValue : {};
    if (!/^[A-Z]{3}$/.test(String(v.currencyCode)) || typeof v.amount !== "string" || !/^\d+(\.\d+)?$/.test(v.amount)) {
      return "conversionValue needs currencyCode and a decimal string amount";
    }
  }
  const user = isObject(e.user) ? e.user : {};
  const ids = Array.isArray(user.userIds) ? user.userIds : [];
  for (const id of ids) {
    if (!isObject(id) || !ID_TYPES.has(String(id.idType)))
      return `unknown idType ${JSON.stringify(isObject(id) ? id.idType : id)}`;
    if (id.idType === "SHA256_EMAIL" && !SHA256_HEX.test(String(id.idValue)))
      return "SHA256_EMAIL idValue must be a SHA-256 hash";
  }
  const info = isObject(user.userInfo) ? user.userInfo : undefined;
  if (ids.length === 0 && !(info?.firstName && info?.lastName))
    return "user needs userIds or userInfo with firstName and lastName";
  return null;
}

const keyOf = (e: Record<string, unknown>) => `${String(e.conversion)}:${String(e.eventId)}`;

function handle(r: Received): Reply {
  if (r.method !== "POST" || r.path !== "/rest/conversionEvents")
    return { status: 404, body: failure(404, `no resource ${r.path}`), problems: [`unknown path ${r.path}`] };
  if (!bearer(r))
    return { status: 401, body: failure(401, "Empty oAuth2 access token", 65600), problems: ["no bearer token"] };
  if (
    !/^\d{6}$/.test(String(r.headers["linkedin-version"] ?? "")) ||
    r.headers["x-restli-protocol-version"] !== "2.0.0"
  ) {
    return {
      status: 400,
      body: failure(400, "LinkedIn-Version (YYYYMM) and X-Restli-Protocol-Version: 2.0.0 are required"),
      problems: ["missing version headers"],
    };
  }
  const version = String(r.headers["linkedin-version"]);
  if (version < LINKEDIN_OLDEST)
    return {
      status: 426,
      body: failure(426, "Version Header is Deprecated", 0),
      problems: [`sunset version ${version}`],
    };
  if (version > LINKEDIN_LATEST)
    return {
      status: 400,
      body: failure(400, `Requested version ${version} is not active`, 0),
      problems: [`unreleased version ${version}`],
    };
  const now = Date.now();
  if (String(r.headers["x-restli-method"] ?? "").toUpperCase() === "BATCH_CREATE") {
    const elements = isObject(r.json) && Array.isArray(r.json.elements) ? r.json.elements : [];
    if (elements.length === 0 || elements.length > 5000)
      return { status: 400, body: failure(400, "elements must hold 1 to 5000 events"), problems: ["bad batch size"] };
    const problems = elements.map(
      (e) =>
        linkedinElementProblem(e, now) ??
        (isObject(e) && r.invalid.has(String(e.eventId))
          ? "the conversion rule is not associated with a campaign"
          : null),
    );
    return {
      status: 200,
      body: { elements: problems.map((p) => (p ? failure(400, p) : { status: 201 })) },
      problems: problems.filter((p): p is string => p !== null),
      accepted: elements.filter((_, i) => !problems[i]).map((e) => keyOf(e as Record<string, unknown>)),
    };
  }
  const problem = linkedinElementProblem(r.json, now);
  if (problem) return { status: 400, body: failure(400, problem), problems: [problem] };
  return { status: 201, body: undefined, accepted: [keyOf(r.json as Record<string, unknown>)] };
}

export const startLinkedinMock = () => startPlatformMock("linkedin", handle);
