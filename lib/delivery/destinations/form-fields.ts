// One field description per destination setting (label, help, where the value comes from, secret or not,
// group): the dashboard's typed destination form is drawn from these. Pure data; a test keeps it in step
// with each module's config and secrets schemas.
import type { DestinationType } from "@/lib/generated/prisma/enums";

export type FieldKind = "text" | "url" | "number" | "select" | "boolean" | "map";
/** Main fields show first; OAuth refresh credentials are grouped; Advanced is folded away. */
export type FieldGroup = "main" | "credentials" | "oauth" | "advanced";

export interface DestinationField {
  /** The key in config (or in secrets when `secret`). */
  name: string;
  label: string;
  help: string;
  kind: FieldKind;
  secret?: boolean;
  required?: boolean;
  options?: readonly string[];
  placeholder?: string;
  link?: { href: string; text: string };
  group: FieldGroup;
}

export interface DestinationForm {
  label: string;
  intro: string;
  fields: DestinationField[];
}

const baseUrl: DestinationField = {
  name: "base_url",
  label: "Base URL override",
  help: "Only for a proxy or a local mock; changing it takes an admin and every secret entered again.",
  kind: "url",
  group: "advanced",
};
const tokenUrl: DestinationField = {
  name: "token_url",
  label: "Token URL override",
  help: "Where refresh tokens are exchanged; leave empty for the platform's own endpoint.",
  kind: "url",
  group: "advanced",
};
const eventNames = (example: string): DestinationField => ({
  name: "event_names",
  label: "Event names",
  help: `One canonical event = platform event name per line, e.g. ${example}. A mapping's own event name wins.`,
  kind: "map",
  group: "advanced",
});
const consent = (name: string, label: string): DestinationField => ({
  name,
  label,
  help: "The consent sent when the event carries none.",
  kind: "select",
  options: ["GRANTED", "DENIED"],
  group: "advanced",
});
const maxBatch = (max: number): DestinationField => ({
  name: "max_batch",
  label: "Events per request",
  help: `At most ${max}.`,
  kind: "number",
  group: "advanced",
});
const oauth = (where: { href: string; text: string }): DestinationField[] => [
  {
    name: "client_id",
    label: "OAuth client ID",
    help: "With the client secret and a refresh token, TrackLayer mints access tokens as they expire.",
    kind: "text",
    secret: true,
    group: "oauth",
    link: where,
  },
  { name: "client_secret", label: "OAuth client secret", help: "", kind: "text", secret: true, group: "oauth" },
  {
    name: "refresh_token",
    label: "Refresh token",
    help: "Granted once by the account owner.",
    kind: "text",
    secret: true,
    group: "oauth",
  },
];

export const DESTINATION_FORMS: Record<DestinationType, DestinationForm> = {
  meta: {
    label: "Meta Conversions API",
    intro: "Sends events to a Meta dataset (pixel). In test mode they appear under Events Manager → Test events.",
    fields: [
      {
        name: "pixel_id",
        label: "Dataset (pixel) ID",
        help: "The numeric ID of the dataset in Events Manager.",
        kind: "text",
        required: true,
        placeholder: "123456789012345",
        link: { href: "https://business.facebook.com/events_manager2", text: "Events Manager → Data sources" },
        group: "main",
      },
      {
        name: "test_event_code",
        label: "Test event code",
        help: "Needed in test mode: the code shown on the dataset's Test events tab.",
        kind: "text",
        placeholder: "TEST12345",
        link: { href: "https://business.facebook.com/events_manager2", text: "Events Manager → Test events" },
        group: "main",
      },
      {
        name: "action_source",
        label: "Action source",
        help: "Where the conversions happen.",
        kind: "select",
        options: [
          "website",
          "email",
          "app",
          "phone_call",
          "chat",
          "physical_store",
          "system_generated",
          "business_messaging",
          "other",
        ],
        group: "main",
      },
      {
        name: "access_token",
        label: "Access token",
        help: "A Conversions API access token for the dataset.",
        kind: "text",
        secret: true,
        required: true,
        link: {
          href: "https://developers.facebook.com/docs/marketing-api/conversions-api/get-started",
          text: "Events Manager → Settings → Generate access token",
        },
        group: "credentials",
      },
      {
        name: "api_version",
        label: "Graph API version",
        help: "Leave empty for the version TrackLayer targets.",
        kind: "text",
        placeholder: "v24.0",
        group: "advanced",
      },
      eventNames("purchase = Purchase"),
      {
        name: "limited_data_use",
        label: "Limited data use (US state privacy laws)",
        help: "Sends data_processing_options LDU.",
        kind: "boolean",
        group: "advanced",
      },
      {
        name: "ldu_country",
        label: "LDU country",
        help: "1 = US; 0 lets Meta geolocate.",
        kind: "number",
        group: "advanced",
      },
      {
        name: "ldu_state",
        label: "LDU state",
        help: "e.g. 1000 = California; 0 lets Meta geolocate.",
        kind: "number",
        group: "advanced",
      },
      baseUrl,
    ],
  },
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
  google_ads: {
    label: "Google Ads conversions (Data Manager API)",
    intro: "Uploads conversions to a Google Ads account. Give a refresh token so access tokens are minted as needed.",
    fields: [
      {
        name: "customer_id",
        label: "Customer ID",
        help: "The Google Ads account receiving conversions (10 digits, dashes allowed).",
        kind: "text",
        required: true,
        placeholder: "123-456-7890",
        link: { href: "https://ads.google.com/", text: "Google Ads → account menu (top right)" },
        group: "main",
      },
      {
        name: "conversion_action_id",
        label: "Conversion action ID",
        help: "The numeric ID of the conversion action (or set one per canonical event below).",
        kind: "text",
        link: { href: "https://ads.google.com/aw/conversions", text: "Goals → Conversions → the action's ctId" },
        group: "main",
      },
      {
        name: "conversion_actions",
        label: "Conversion action per canonical event",
        help: "One canonical event = conversion action ID per line, e.g. purchase = 987654321.",
        kind: "map",
        group: "main",
      },
      {
        name: "event_source",
        label: "Event source",
        help: "Where conversions happen.",
        kind: "select",
        options: ["WEB", "APP", "IN_STORE", "PHONE", "OTHER"],
        group: "main",
      },
      {
        name: "access_token",
        label: "Access token",
        help: "A short-lived OAuth token with the datamanager scope (expires in an hour; prefer the refresh credentials).",
        kind: "text",
        secret: true,
        group: "credentials",
      },
      ...oauth({
        href: "https://console.cloud.google.com/apis/credentials",
        text: "Google Cloud → APIs & Services → Credentials",
      }),
      {
        name: "login_customer_id",
        label: "Manager (login) customer ID",
        help: "When access goes through a manager account.",
        kind: "text",
        group: "advanced",
      },
      consent("ad_user_data", "Ad user data consent"),
      consent("ad_personalization", "Ad personalization consent"),
      baseUrl,
      tokenUrl,
    ],
  },
  linkedin: {
    label: "LinkedIn Conversions API",
    intro: "Sends conversions to LinkedIn Campaign Manager conversion rules.",
    fields: [
      {
        name: "conversion_rule_id",
        label: "Conversion rule ID",
        help: "The numeric ID of the conversion rule (or set one per canonical event below).",
        kind: "text",
        link: {
          href: "https://www.linkedin.com/campaignmanager/",
          text: "Campaign Manager → Analyze → Conversion tracking",
        },
        group: "main",
      },
      {
        name: "conversion_rules",
        label: "Conversion rule per canonical event",
        help: "One canonical event = conversion rule ID per line, e.g. qualify_lead = 12345.",
        kind: "map",
        group: "main",
      },
      {
        name: "access_token",
        label: "Access token",
        help: "An OAuth token with rw_conversions (expires; prefer the refresh credentials).",
        kind: "text",
        secret: true,
        group: "credentials",
      },
      ...oauth({ href: "https://www.linkedin.com/developers/apps", text: "LinkedIn Developers → your app → Auth" }),
      {
        name: "api_version",
        label: "LinkedIn-Version",
        help: "A released month YYYYMM; leave empty for the version TrackLayer targets.",
        kind: "text",
        placeholder: "202510",
        group: "advanced",
      },
      baseUrl,
      tokenUrl,
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
        options: ["event", "contact"],
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

/** Parses a map field's lines ("key = value" or "key: value"); blank lines are skipped. */
export function parseMapLines(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const match = /^\s*([^=:]+?)\s*[=:]\s*(.+?)\s*$/.exec(line);
    if (match?.[1] && match[2]) out[match[1]] = match[2];
  }
  return out;
}

/** A map setting as the field shows it: one "key = value" per line. */
export function mapToLines(value: unknown): string {
  if (!value || typeof value !== "object") return "";
  return Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${k} = ${String(v)}`)
    .join("\n");
}
