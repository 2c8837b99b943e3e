// A destination's plain settings for a privacy call (config, opened secrets, base URL, fresh OAuth
// token), built the way the delivery and audience workers build them.
import { baseUrlOverride, destinationModules, resolveBaseUrl } from "@/lib/delivery/destinations";
import { withAccessToken } from "@/lib/delivery/oauth";
import { openSecrets } from "@/lib/delivery/secret-box";
import type { DestinationType } from "@/lib/generated/prisma/enums";

export interface DestinationRow {
  id: string;
  type: DestinationType;
  name: string;
  config: unknown;
  secretsEncrypted: string | null;
  testMode: boolean;
  enabled: boolean;
}

export async function plainSettings(destination: DestinationRow, now: Date, fetchImpl?: typeof fetch) {
  const config = (destination.config ?? {}) as Record<string, unknown>;
  const plain = {
    config,
    secrets: openSecrets(destination.secretsEncrypted),
    baseUrl: resolveBaseUrl(destination.type, baseUrlOverride(config)),
    testMode: destination.testMode,
    now,
  };
  return withAccessToken(destinationModules[destination.type], destination.id, plain, { fetchImpl });
}
