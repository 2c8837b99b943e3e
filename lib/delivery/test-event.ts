// "Send test event" and the settings check it (and GA4's validation) stand on: one synthetic purchase,
// sent in test mode through the destination's own request planner, answered as the delivery log shows it.
import { type Actor, assertCan } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { baseUrlOverride, destinationModules, resolveBaseUrl } from "@/lib/delivery/destinations";
import { planRequests } from "@/lib/delivery/destinations/plan";
import type { DeliveryEvent } from "@/lib/delivery/destinations/types";
import { type Exchange, refusedOutcome, send } from "@/lib/delivery/engine/send";
import { loadDestination } from "@/lib/delivery/manage-destinations";
import { TOKEN_REJECTED, TokenError, tokenRejected, withAccessToken } from "@/lib/delivery/oauth";
import { OutboundRefused } from "@/lib/delivery/outbound";
import { openSecrets } from "@/lib/delivery/secret-box";
import { AppError } from "@/lib/errors";
import type { DestinationType } from "@/lib/generated/prisma/enums";
import { recordAudit } from "@/lib/registry/audit";

export function usableSettings(d: { type: DestinationType; config: unknown; secretsEncrypted: string | null }) {
  const module = destinationModules[d.type];
  const config = module.configSchema.safeParse(d.config);
  const secrets = module.secretsSchema.safeParse(openSecrets(d.secretsEncrypted));
  if (!config.success || !secrets.success) {
    throw new AppError("unprocessable", "Complete the destination's settings and secrets first", [
      ...(config.error?.issues ?? []).map((i) => ({
        path: ["config", ...i.path.map(String)].join("."),
        message: i.message,
      })),
      ...(secrets.error?.issues ?? []).map((i) => ({
        path: ["secrets", ...i.path.map(String)].join("."),
        message: i.message,
      })),
    ]);
  }
  let baseUrl: string;
  try {
    baseUrl = resolveBaseUrl(d.type, baseUrlOverride(d.config as Record<string, unknown>));
  } catch (error) {
    if (error instanceof OutboundRefused)
      throw new AppError("unprocessable", error.message, [
        { path: "config.base_url", message: error.message, code: "host_not_allowed" },
      ]);
    throw error;
  }
  return { module, config: config.data, secrets: secrets.data, baseUrl };
}

/** The synthetic purchase test events and validations send. */
export function sampleEvent(now: Date): DeliveryEvent {
  return {
    eventId: `tracklayer_test_${now.getTime()}`,
    canonicalEvent: "purchase",
    occurredAt: now,
    userId: "tracklayer_test_user",
    anonymousId: "tracklayer_test_anon",
    properties: { order_id: `test_${now.getTime()}`, value: 1, currency: "EUR" },
    context: {
      ip: "203.0.113.7",
      userAgent: "TrackLayer test event",
      page: { url: "https://example.com/checkout" },
      client_id: "555.1",
    },
    traits: { email: "test@example.com" },
  };
}

/** Sends one synthetic purchase in test mode and returns the exchange as the delivery log shows it. */
export async function sendTestEvent(actor: Actor, id: string) {
  assertCan(actor, "destination.manage");
  const d = await loadDestination(actor, id);
  const { module, config, secrets, baseUrl } = usableSettings(d);
  const now = new Date();
  const event = sampleEvent(now);
  const settings = await withAccessToken(module, d.id, { config, secrets, testMode: true, baseUrl, now }).catch(
    (error: unknown) => {
      throw error instanceof TokenError
        ? new AppError("unprocessable", `The test event cannot be sent: ${error.message}`)
        : error;
    },
  );
  const plan = planRequests(module, [event], settings);
  const request = plan.requests[0]?.request;
  if (!request)
    throw new AppError("unprocessable", `The test event cannot be sent: ${plan.rejected[0]?.reason ?? "no request"}`);
  const exchange = await send(request, 10_000);
  const classified =
    refusedOutcome(exchange.answer) ??
    (tokenRejected(module, d.id, secrets, exchange.answer)
      ? TOKEN_REJECTED
      : module.classify(exchange.answer, [event]));
  const outcome = Array.isArray(classified) ? classified[0]! : classified;
  await db().$transaction((tx) =>
    recordAudit(tx, actor, {
      action: "destination.test",
      entityType: "destination",
      entityId: id,
      summary: `sent a test event to ${d.name}: ${testVerdict(outcome, exchange.answer)}`,
    }),
  );
  return {
    outcome: outcome.outcome,
    reason: "reason" in outcome ? outcome.reason : "accepted",
    ack: "ack" in outcome ? (outcome.ack ?? null) : null,
    request: request.log,
    response: responseOf(exchange.answer),
    latency_ms: exchange.latencyMs,
  };
}

/** How a test event's answer reads in the audit log: accepted / refused, the HTTP status, the reason. */
function testVerdict(outcome: { outcome: string; reason?: string }, answer: Exchange["answer"]): string {
  const status = "status" in answer ? `HTTP ${answer.status}` : "no answer";
  if (outcome.outcome === "success") return `accepted (${status})`;
  const verdict = outcome.outcome === "retry" ? "not accepted, temporary" : "refused";
  return `${verdict} (${status}): ${(outcome.reason ?? "").slice(0, 200)}`;
}

export const responseOf = (answer: Exchange["answer"]) =>
  "status" in answer ? { status: answer.status, body: answer.body } : { error: answer.networkError };
