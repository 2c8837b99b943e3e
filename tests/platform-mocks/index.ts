// Every platform mock at once, keyed by destination type, for tests that deliver to all of them.
import type { DestinationType } from "@/lib/generated/prisma/enums";
import type { PlatformMock } from "./core";
import { startGa4Mock } from "./ga4";
import { startGoogleAdsMock } from "./google-ads";
import { startHubspotMock } from "./hubspot";
import { startLinkedinMock } from "./linkedin";
import { startMetaMock } from "./meta";
import { startWebhookMock } from "./webhook";

/** Event destinations only: Heap receives traits (tests/heap-mock.ts). */
export type EventDestinationType = Exclude<DestinationType, "heap">;
export type PlatformMocks = Record<EventDestinationType, PlatformMock>;

export async function startPlatformMocks(webhookSecret: string, now?: () => Date): Promise<PlatformMocks> {
  const [meta, google_ads, ga4, linkedin, hubspot, webhook] = await Promise.all([
    startMetaMock(),
    startGoogleAdsMock(),
    startGa4Mock(),
    startLinkedinMock(),
    startHubspotMock(),
    startWebhookMock(webhookSecret, now),
  ]);
  return { meta, google_ads, ga4, linkedin, hubspot, webhook };
}

export const closePlatformMocks = (mocks: PlatformMocks) => Promise.all(Object.values(mocks).map((m) => m.close()));
