// The shape of a destination form's field descriptions and the settings several platforms share.
import { GOOGLE_CONSENT_VALUES } from "@/lib/delivery/destinations/choices";

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

export const baseUrl: DestinationField = {
  name: "base_url",
  label: "Base URL override",
  help: "Only for a proxy or a local mock; changing it takes an admin and every secret entered again.",
  kind: "url",
  group: "advanced",
};
export const tokenUrl: DestinationField = {
  name: "token_url",
  label: "Token URL override",
  help: "Where refresh tokens are exchanged; leave empty for the platform's own endpoint.",
  kind: "url",
  group: "advanced",
};
export const eventNames = (example: string): DestinationField => ({
  name: "event_names",
  label: "Event names",
  help: `One canonical event = platform event name per line, e.g. ${example}. A mapping's own event name wins.`,
  kind: "map",
  group: "advanced",
});
export const consent = (name: string, label: string): DestinationField => ({
  name,
  label,
  help: "The consent sent when the event carries none.",
  kind: "select",
  options: GOOGLE_CONSENT_VALUES,
  group: "advanced",
});
export const maxBatch = (max: number): DestinationField => ({
  name: "max_batch",
  label: "Events per request",
  help: `At most ${max}.`,
  kind: "number",
  group: "advanced",
});
export const oauth = (where: { href: string; text: string }): DestinationField[] => [
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
