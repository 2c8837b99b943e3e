// OpenAPI: Destinations and the delivery log.
import type { ZodOpenApiPathsObject } from "zod-openapi";
import { idPath, op } from "@/lib/api/openapi/operation";
import * as d from "@/lib/validations/delivery";

export const deliveryPaths: ZodOpenApiPathsObject = {
  "/api/destinations": {
    get: op({ tag: "Delivery", summary: "Destinations with health (secrets are never returned)" }),
    post: op({
      tag: "Delivery",
      summary: "Add a destination (secrets write-only, stored encrypted)",
      body: d.destinationCreateSchema,
      created: true,
    }),
  },
  "/api/destinations/{id}": {
    get: op({ tag: "Delivery", summary: "A destination: settings, names of the secrets set, health", path: idPath }),
    patch: op({
      tag: "Delivery",
      summary:
        "Change settings or secrets (null removes a secret). Changing the host of any URL setting takes the admin role " +
        "(403) and every stored secret re-entered in the same request (422 secrets_required, fields secrets.<name>)",
      path: idPath,
      body: d.destinationUpdateSchema,
    }),
  },
  "/api/destinations/{id}/test": {
    post: op({ tag: "Delivery", summary: "Send one synthetic event in test mode", path: idPath }),
  },
  "/api/destinations/{id}/validate": {
    post: op({
      tag: "Delivery",
      summary: "GA4: validate a sample or stored event with the Measurement Protocol debug endpoint",
      path: idPath,
      body: d.ga4ValidateSchema,
    }),
  },
  "/api/deliveries": {
    get: op({
      tag: "Delivery",
      summary: "Delivery log, newest first, keyset paged: { rows, next_cursor, prev_cursor, per_page } (no total)",
      query: d.deliveryListQuerySchema,
    }),
  },
  "/api/deliveries/{id}": { get: op({ tag: "Delivery", summary: "One delivery with every attempt", path: idPath }) },
  "/api/deliveries/{id}/retry": {
    post: op({ tag: "Delivery", summary: "Re-queue a failed delivery (never an accepted one)", path: idPath }),
  },
  "/api/deliveries/replay": {
    post: op({
      tag: "Delivery",
      summary: "Count (dry_run) or re-queue failed deliveries by filter",
      body: d.replaySchema,
    }),
  },
};
