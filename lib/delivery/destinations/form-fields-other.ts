// The typed forms of GA4, HubSpot, webhooks and Heap.
import { HUBSPOT_MODES } from "@/lib/delivery/destinations/choices";
import {
  baseUrl,
  consent,
  type DestinationForm,
  eventNames,
  maxBatch,
} from "@/lib/delivery/destinations/form-fields-shared";

export const OTHER_FORMS: Record<"ga4" | "hubspot" | "webhook" | "heap", DestinationForm> = {
  ga4: {
    label: "Google Analytics 4 (Measurement Protocol)",
    intro: "Sends events to a GA4 web stream. Validate checks a sample against GA4's debug endpoint.",
    fields: [
      {
        name: "measurement_id",
        label: "Measurement ID",
        help: "The web stream's measurement ID.",
        kind: "text",
        required: true,
        placeholder: "G-XXXXXXXXXX",
        link: { href: "https://analytics.google.com/analytics/web/", text: "Admin → Data streams → your web stream" },
        group: "main",
      },
      {
        name: "api_secret",
        label: "Measurement Protocol API secret",
        help: "Created on the same web stream.",
        kind: "text",
        secret: true,
        required: true,
        link: {
          href: "https://developers.google.com/analytics/devguides/collection/protocol/ga4",
          text: "Web stream → Measurement Protocol API secrets",
        },
        group: "credentials",
      },
      eventNames("qualify_lead = generate_lead"),
      consent("ad_user_data", "Ad user data consent"),
      consent("ad_personalization", "Ad personalization consent"),
      baseUrl,
    ],
  },
  hubspot: {
    label: "HubSpot",
    intro: "Records canonical events as custom behavioural events, or upserts contacts by e-mail.",
    fields: [
      {
        name: "mode",
        label: "Mode",
        help: "event: a custom behavioural event; contact: a contact upsert by e-mail.",
        kind: "select",
        options: HUBSPOT_MODES,
        group: "main",
      },
      {
        name: "portal_id",
        label: "Portal (hub) ID",
        help: "Required in event mode: the numeric HubSpot account ID.",
        kind: "text",
        link: { href: "https://app.hubspot.com/", text: "HubSpot → account menu → Hub ID" },
        group: "main",
      },
      {
        name: "access_token",
        label: "Private app access token",
        help: "A private app token with the behavioural-events and contacts scopes.",
        kind: "text",
        secret: true,
        required: true,
        link: {
          href: "https://developers.hubspot.com/docs/api/private-apps",
          text: "Settings → Integrations → Private apps",
        },
        group: "credentials",
      },
      eventNames("purchase = order_placed"),
      {
        name: "property_map",
        label: "Property map",
        help: "One HubSpot property = event property or trait per line, e.g. amount = value.",
        kind: "map",
        group: "advanced",
      },
      maxBatch(500),
      baseUrl,
    ],
  },
  webhook: {
    label: "Webhook",
    intro: "POSTs each batch as JSON to your URL, signed with HMAC-SHA256 (X-TrackLayer-Signature).",
    fields: [
      {
        name: "url",
        label: "Receiver URL",
        help: "Your endpoint (http or https). Changing it later takes an admin and the signing secret again.",
        kind: "url",
        required: true,
        placeholder: "https://example.com/tracklayer",
        group: "main",
      },
      {
        name: "signing_secret",
        label: "Signing secret",
        help: "At least 16 characters; your receiver verifies X-TrackLayer-Signature with it.",
        kind: "text",
        secret: true,
        required: true,
        group: "credentials",
      },
      maxBatch(1000),
    ],
  },
  heap: {
    label: "Heap (computed traits back to Heap)",
    intro: "Writes computed traits to Heap user properties. No credential: the app ID identifies the project.",
    fields: [
      {
        name: "app_id",
        label: "App (environment) ID",
        help: "The numeric ID of the Heap environment.",
        kind: "text",
        required: true,
        link: { href: "https://heapanalytics.com/app/manage/projects", text: "Account → Manage → Projects" },
        group: "main",
      },
      {
        name: "property_prefix",
        label: "Property prefix",
        help: "Prepended to every synced property name (letters, digits and _; default tl_).",
        kind: "text",
        group: "advanced",
      },
      maxBatch(1000),
      baseUrl,
    ],
  },
};
