// "Validate with GA4 debug": builds the Measurement Protocol request a GA4 destination would send
// for a sample purchase or a chosen stored event, posts it to /debug/mp/collect (nothing is recorded
// there) and returns GA4's validationMessages.
import { type Actor, assertCan } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import type { DeliveryEvent } from "@/lib/delivery/destinations/types";
import { loadDeliveryEvents } from "@/lib/delivery/engine/load";
import { send } from "@/lib/delivery/engine/send";
import { loadDestination } from "@/lib/delivery/manage-destinations";
import { responseOf, sampleEvent, usableSettings } from "@/lib/delivery/test-event";
import { AppError, notFound } from "@/lib/errors";
import { recordAudit } from "@/lib/registry/audit";
import type { Ga4ValidateInput } from "@/lib/validations/delivery";

interface ValidationMessage {
  fieldPath?: string;
  description?: string;
  validationCode?: string;
}

/** The stored event with this client event id, as the destination would receive it (mapping's event name included). */
async function storedEvent(actor: Actor, destinationId: string, eventId: string): Promise<DeliveryEvent> {
  const row = await db().event.findFirst({
    where: { workspaceId: actor.workspaceId, eventId },
    orderBy: { receivedAt: "desc" },
  });
  if (!row) throw notFound("Event");
  const event = (await loadDeliveryEvents([row.id])).get(row.id)!;
  const toggle = row.mappingId
    ? await db().mappingDestination.findUnique({
        where: { mappingId_destinationId: { mappingId: row.mappingId, destinationId } },
      })
    : null;
  return toggle?.eventName ? { ...event, eventName: toggle.eventName } : event;
}

export async function validateWithGa4Debug(actor: Actor, id: string, input: Ga4ValidateInput) {
  assertCan(actor, "destination.manage");
  const d = await loadDestination(actor, id);
  if (d.type !== "ga4")
    throw new AppError("unprocessable", "Only GA4 destinations have a debug endpoint to validate against", [
      { path: "id", message: `this is a ${d.type} destination` },
    ]);
  const { module, config, secrets, baseUrl } = usableSettings(d);
  const now = new Date();
  const event = input.event_id ? await storedEvent(actor, d.id, input.event_id) : sampleEvent(now);
  // Test mode sends to /debug/mp/collect: GA4 validates and records nothing.
  const request = module.buildRequest([event], { config, secrets, testMode: true, baseUrl, now });
  const exchange = await send(request, 10_000);
  const answer = exchange.answer;
  const body =
    "status" in answer && answer.body && typeof answer.body === "object"
      ? (answer.body as { validationMessages?: unknown })
      : null;
  const messages = Array.isArray(body?.validationMessages) ? (body.validationMessages as ValidationMessage[]) : null;
  const verdict = messages === null ? "unreachable" : messages.length === 0 ? "valid" : "invalid";
  await db().$transaction((tx) =>
    recordAudit(tx, actor, {
      action: "destination.validate",
      entityType: "destination",
      entityId: d.id,
      summary: `validated ${input.event_id ? `event ${input.event_id}` : "a sample event"} with the GA4 debug endpoint: ${verdict}`,
    }),
  );
  return {
    verdict,
    valid: verdict === "valid",
    validation_messages: messages ?? [],
    event: { event_id: event.eventId, canonical_event: event.canonicalEvent, sample: !input.event_id },
    request: request.log,
    response: responseOf(answer),
    latency_ms: exchange.latencyMs,
  };
}
