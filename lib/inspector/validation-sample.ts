// The one event the guided validation asks for: a capture through the mapping under test, for one
// known user, keyed to a fresh business id so its event_id derives from it. Pure.

import { businessKeyOf } from "@/lib/inspector/business-key";
import type { PropertyDefinition, ValueSpec } from "@/lib/validations/canonical-events";

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

function baseValue(name: string, spec: ValueSpec | undefined, businessId: string): unknown {
  if (name === "order_id" || name === "lead_id") return businessId;
  if (name === "currency") return "EUR";
  if (name === "value" || name === "revenue" || name === "price") return 1;
  switch (spec?.type) {
    case "number":
      return 1;
    case "boolean":
      return true;
    case "array":
      return [];
    case "object":
      return Object.fromEntries(
        (spec.properties ?? []).filter((p) => p.required).map((p) => [p.name, sampleValue(p.name, p, businessId)]),
      );
    default:
      return `validation ${name}`;
  }
}

/** A value that fits the property's value rules where that is mechanical (enum, bounds, lengths). */
function sampleValue(name: string, spec: ValueSpec | undefined, businessId: string): unknown {
  const value = baseValue(name, spec, businessId);
  if (!spec) return value;
  if (spec.enum?.length && value !== businessId) return spec.enum[0];
  if (typeof value === "number") {
    return Math.min(Math.max(value, spec.minimum ?? value), spec.maximum ?? Number.POSITIVE_INFINITY);
  }
  if (typeof value === "string") {
    const padded = value.padEnd(spec.min_length ?? 0, "x");
    return spec.max_length !== undefined ? padded.slice(0, spec.max_length) : padded;
  }
  return value;
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
  const specOf = new Map(input.definitions.map((d) => [d.name, d]));
  const properties = Object.fromEntries(
    [...wanted]
      .filter((name) => name === businessKey || input.required.includes(name) || specOf.has(name))
      .map((name) => [sourceNameOf.get(name) ?? name, sampleValue(name, specOf.get(name), businessId)]),
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
