// The fixed choices of destination settings, named once: each module's schema and its typed form
// (which runs in the browser, so this file imports nothing) read them from here.
export const META_ACTION_SOURCES = [
  "website",
  "email",
  "app",
  "phone_call",
  "chat",
  "physical_store",
  "system_generated",
  "business_messaging",
  "other",
] as const;

export const GOOGLE_EVENT_SOURCES = ["WEB", "APP", "IN_STORE", "PHONE", "OTHER"] as const;

export const GOOGLE_CONSENT_VALUES = ["GRANTED", "DENIED"] as const;

export const HUBSPOT_MODES = ["event", "contact"] as const;
