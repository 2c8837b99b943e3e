// Heap: computed traits back to Heap as user properties through the server-side
// add_user_properties API (bulk form: { app_id, users: [{ identity, properties }] }, ≤ 1,000 users).
// Heap is a trait destination: canonical events are not sent to it (validateEvent says why).
import { z } from "zod";
import { baseUrlField, joinUrl, jsonRequest } from "@/lib/delivery/destinations/shared";
import type {
  DestinationModule,
  DestinationSettings,
  HttpRequestSpec,
  Outcome,
} from "@/lib/delivery/destinations/types";
import { type Answer, classifyHttp } from "@/lib/delivery/http-retry";

export const heapConfigSchema = z.object({
  app_id: z
    .string({ error: "app_id is required: the Heap project's app id (Account → Manage → Projects)" })
    .trim()
    .regex(/^\d{1,20}$/, "app_id is the numeric Heap app (environment) id"),
  /** Prepended to every synced property name so TrackLayer's properties are easy to find in Heap. */
  property_prefix: z
    .string()
    .regex(/^[A-Za-z0-9_]{0,20}$/, "property_prefix uses letters, digits and _ (max 20)")
    .default("tl_"),
  max_batch: z.number().int().min(1).max(1000, "max_batch is at most 1000 (Heap's bulk cap)").default(1000),
  base_url: baseUrlField,
});
export type HeapConfig = z.infer<typeof heapConfigSchema>;

/** No credential: the app_id identifies the project. */
export const heapSecretsSchema = z.object({}).catchall(z.string());
export type HeapSecrets = z.infer<typeof heapSecretsSchema>;

type Settings = DestinationSettings<HeapConfig, HeapSecrets>;

/** Heap accepts strings and numbers shorter than 1,024 characters. */
export type HeapValue = string | number;
export const HEAP_MAX_VALUE_LENGTH = 1023;

export interface HeapUserUpdate {
  identity: string;
  properties: Record<string, HeapValue>;
}

/** A value as Heap stores it: numbers stay numbers, booleans and null become text, long text is cut. */
export function heapValue(value: unknown): HeapValue {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  const text =
    typeof value === "string"
      ? value
      : value === null || value === undefined
        ? ""
        : typeof value === "object"
          ? JSON.stringify(value)
          : String(value);
  return text.length > HEAP_MAX_VALUE_LENGTH ? text.slice(0, HEAP_MAX_VALUE_LENGTH) : text;
}

export const ADD_USER_PROPERTIES_PATH = "/api/add_user_properties";

/** Heap refuses identities longer than this. */
export const HEAP_MAX_IDENTITY_LENGTH = 255;

/** Why Heap would refuse this identity (checked before sending), or null. */
export function heapIdentityProblem(identity: string): string | null {
  if (!identity.trim()) return "empty identity: Heap needs the user's identity";
  return identity.length > HEAP_MAX_IDENTITY_LENGTH
    ? `identity of ${identity.length} characters: Heap refuses identities longer than ${HEAP_MAX_IDENTITY_LENGTH}`
    : null;
}

/** Pure: one bulk add_user_properties request for up to max_batch users (prefix applied to each property name). */
export function buildHeapRequest(users: HeapUserUpdate[], { config, baseUrl }: Settings): HttpRequestSpec {
  if (users.length === 0) throw new Error("heap: no users to send");
  if (users.length > config.max_batch)
    throw new Error(`heap: ${users.length} users exceed max_batch ${config.max_batch}`);
  const refused = users.map((u) => heapIdentityProblem(u.identity)).find(Boolean);
  if (refused) throw new Error(`heap: ${refused}`);
  const payload = {
    app_id: config.app_id,
    users: users.map((u) => ({
      identity: u.identity,
      properties: Object.fromEntries(
        Object.entries(u.properties).map(([k, v]) => [`${config.property_prefix}${k}`, heapValue(v)]),
      ),
    })),
  };
  return jsonRequest({ url: joinUrl(baseUrl, ADD_USER_PROPERTIES_PATH), payload });
}

/** 2xx succeeds; 429 and 5xx (and network errors) retry honouring Retry-After; other 4xx are permanent. */
export function classifyHeapAnswer(answer: Answer): Outcome {
  return classifyHttp(answer, [429]);
}

const NOT_FOR_EVENTS =
  "Heap receives computed traits as user properties, not canonical events: turn this mapping's Heap toggle off";

export const heapDestination: DestinationModule<HeapConfig, HeapSecrets> = {
  type: "heap",
  label: "Heap",
  configSchema: heapConfigSchema,
  secretsSchema: heapSecretsSchema,
  maxBatch: 1000,
  batchLimit: ({ config }) => config.max_batch,
  validateEvent: () => NOT_FOR_EVENTS,
  buildRequest() {
    throw new Error(NOT_FOR_EVENTS);
  },
  classify: (answer) => classifyHeapAnswer(answer),
};
