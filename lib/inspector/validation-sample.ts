// The one event the guided validation asks for: a capture through the mapping under test, for one
// known user, keyed to a fresh business id so its event_id derives from it. Pure.

import { businessKeyOf } from "@/lib/inspector/business-key";
import type { PropertyDefinition } from "@/lib/validations/canonical-events";

export interface SampleInput {
  source: string;
  sourceEvent: string;
  canonicalEvent: string;
  required: string[];
  /** { source property: canonical property } of the revision under test. */
  renames: Record<string, string>;
  definitions: PropertyDefinition[];
  userId: string;
  /** A fresh token (e.g. random) that makes the business id unique. */
  nonce: string;
}

function sampleValue(name: string, type: PropertyDefinition["type"] | undefined, businessId: string): unknown {
  if (name === "order_id" || name === "lead_id") return businessId;
  if (name === "currency") return "EUR";
  if (name === "value" || name === "revenue" || name === "price") return 1;
  switch (type) {
    case "number":
      return 1;
    case "boolean":
      return true;
    case "array":
      return [];
    case "object":
      return {};
    default:
      return `validation ${name}`;
  }
}

export function validationSample(input: SampleInput) {
  const businessKey = businessKeyOf({
    requiredProperties: input.required,
    canonicalEvent: input.canonicalEvent,
    properties: {},
  });
  const businessId = `val_${input.nonce}`;
  const sourceNameOf = new Map(Object.entries(input.renames).map(([from, to]) => [to, from]));
  const wanted = new Set([...input.required, ...(businessKey ? [businessKey] : [])]);
  if (businessKey) wanted.add("value").add("currency");
  const typeOf = new Map(input.definitions.map((d) => [d.name, d.type]));
  const properties = Object.fromEntries(
    [...wanted]
      .filter((name) => name === businessKey || input.required.includes(name) || typeOf.has(name))
      .map((name) => [sourceNameOf.get(name) ?? name, sampleValue(name, typeOf.get(name), businessId)]),
  );
  const eventId = `${input.canonicalEvent}_${businessKey ? businessId : input.nonce}`;
  return {
    eventId,
    businessKey,
    businessId: businessKey ? businessId : null,
    body: { event: input.sourceEvent, event_id: eventId, user_id: input.userId, source: input.source, properties },
  };
}

/** The exact curl a user runs; the key is the test write key when one was just created. */
export function curlFor(origin: string, key: string | null, body: unknown): string {
  const json = JSON.stringify(body).replace(/'/g, "'\\''");
  return [
    `curl -X POST ${origin}/api/capture`,
    `  -H "Authorization: Bearer ${key ?? "<TEST_WRITE_KEY>"}"`,
    `  -H "Content-Type: application/json"`,
    `  -d '${json}'`,
  ].join(" \\\n");
}
