// Shared fixtures for destination module tests: one rich canonical event, settings and answers.
import type { DeliveryEvent, DestinationSettings, HttpAnswer, Outcome } from "@/lib/delivery/destinations/types";

/** SHA-256 of the normalised fixture email and phone, computed independently with `printf %s … | sha256sum`. */
export const HASH = {
  emailMeta: "375320dd9ae7ed408002f3768e16cb5f28c861062fd50dff9a3bff62e9dce4ef", // john.doe@gmail.com
  emailGoogle: "06a240d11cc201676da976f7b49341181fd180da37cbe40a77432c0a366c80c3", // johndoe@gmail.com
  phoneMeta: "8efb96404be52f6109b9db0f687274a81e9e3cc23fabd6f0da5d38baa3d2facd", // 4915112345678
  phoneE164: "536afd523e19dc83fccba822ef5e4ca646111314aaf0aa286667c5bea18dd70b", // +4915112345678
};

export const OCCURRED = new Date("2026-11-02T10:00:00.123Z");

export function makeEvent(overrides: Partial<DeliveryEvent> = {}): DeliveryEvent {
  return {
    eventId: "ord_10492_purchase",
    canonicalEvent: "purchase",
    occurredAt: OCCURRED,
    userId: "cust_2048",
    anonymousId: "anon_91b2",
    properties: { order_id: "ord_10492", value: 129.95, currency: "eur" },
    context: {
      ip: "203.0.113.7",
      userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0.0.0",
      page: { url: "https://shop.example/checkout", referrer: "https://www.google.com/" },
      fbp: "fb.1.1700000000000.123456",
      fbc: "fb.1.1700000000000.AbCdEf",
      gclid: "Cj0KCQ-test",
      li_fat_id: "li-fat-123",
      client_id: "1234567890.1700000000",
    },
    traits: {
      email: " John.Doe@Gmail.com ",
      phone: "+49 151 1234 5678",
      first_name: "John",
      last_name: "O'Doe",
      country: "DE",
    },
    ...overrides,
  };
}

export function settings<C, S>(
  config: C,
  secrets: S,
  extra: Partial<DestinationSettings<C, S>> = {},
): DestinationSettings<C, S> {
  return { config, secrets, testMode: false, baseUrl: "http://mock.local", ...extra };
}

export function answer(status: number, body: unknown = "", headers: Record<string, string> = {}): HttpAnswer {
  return { status, headers, body };
}

export const network = { networkError: "ECONNRESET" };

/** The outcome kind of a whole-request classification. */
export function kind(outcome: Outcome | Outcome[]): string {
  if (Array.isArray(outcome)) throw new Error("expected one outcome for the whole request");
  return outcome.outcome;
}
