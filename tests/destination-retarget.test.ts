// Where a destination sends is the admin's to change, with its secrets re-entered: an engineer cannot point a
// destination (and its stored token) at another host, and a refused target is a dead letter with the reason.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { closeDatabase, db } from "@/lib/db";
import { createDestination, updateDestination } from "@/lib/delivery/manage-destinations";
import { sendTestEvent } from "@/lib/delivery/test-event";
import { updateMapping } from "@/lib/registry/mappings/update-mapping";
import { defaultWorkerOptions } from "@/lib/worker/options";
import { runOnce } from "@/lib/worker/run-once";
import { createTestWorkspace, rejectsWith } from "./helpers";
import { capture, writeKeyFor } from "./ingest-helpers";
import { type Receiver, receiver } from "./receiver";

let platform: Receiver;
let attacker: Receiver;
before(async () => {
  platform = await receiver();
  attacker = await receiver();
});
after(async () => {
  await Promise.all([platform.close(), attacker.close()]);
  await closeDatabase();
});

const META_TOKEN = "EAAB-admins-secret-token";

async function metaDestination() {
  const ws = await createTestWorkspace();
  const d = await createDestination(ws.actors.admin, {
    type: "meta",
    name: "Meta CAPI",
    config: { pixel_id: "123", test_event_code: "TEST1", base_url: platform.url },
    secrets: { access_token: META_TOKEN },
    enabled: true,
    test_mode: true,
  });
  return { ws, d };
}

describe("changing where a destination sends", () => {
  test("an engineer may not point base_url elsewhere: 403, nothing changes, the token never reaches the new host", async () => {
    const { ws, d } = await metaDestination();
    const refused = await rejectsWith(
      updateDestination(ws.actors.engineer, d.id, {
        config: { pixel_id: "123", test_event_code: "TEST1", base_url: attacker.url },
      }),
      "forbidden",
    );
    assert.deepEqual(
      refused.issues?.map((i) => i.path),
      ["config.base_url"],
    );
    const stored = await db().destination.findUniqueOrThrow({ where: { id: d.id } });
    assert.equal((stored.config as { base_url: string }).base_url, platform.url);
    await sendTestEvent(ws.actors.engineer, d.id);
    assert.equal(attacker.requests.length, 0);
    assert.ok(platform.requests.some((a) => a.includes(META_TOKEN)));
  });

  test("an engineer may still change settings that are not URLs", async () => {
    const { ws, d } = await metaDestination();
    const updated = await updateDestination(ws.actors.engineer, d.id, {
      config: { pixel_id: "456", test_event_code: "TEST1", base_url: platform.url },
      test_mode: false,
    });
    assert.equal(updated.config.pixel_id, "456");
  });

  test("an admin must re-enter the secrets in the same request (422 secrets_required with field paths)", async () => {
    const { ws, d } = await metaDestination();
    const missing = await rejectsWith(
      updateDestination(ws.actors.admin, d.id, {
        config: { pixel_id: "123", test_event_code: "TEST1", base_url: attacker.url },
      }),
      "secrets_required",
    );
    assert.deepEqual(
      missing.issues?.map((i) => i.path),
      ["secrets.access_token"],
    );
    const before = attacker.requests.length;
    await sendTestEvent(ws.actors.admin, d.id);
    assert.equal(attacker.requests.length, before, "the stored token did not follow the refused change");

    const moved = await updateDestination(ws.actors.admin, d.id, {
      config: { pixel_id: "123", test_event_code: "TEST1", base_url: attacker.url },
      secrets: { access_token: "token-for-the-new-host" },
    });
    assert.equal(moved.config.base_url, attacker.url);
    await sendTestEvent(ws.actors.admin, d.id);
    assert.ok(attacker.requests.at(-1)?.includes("token-for-the-new-host"));
    assert.ok(!attacker.requests.some((a) => a.includes(META_TOKEN)), "the old token never reached the new host");
  });

  test("every URL setting counts: removing base_url, a token_url, a webhook url", async () => {
    const { ws, d } = await metaDestination();
    await rejectsWith(
      updateDestination(ws.actors.engineer, d.id, { config: { pixel_id: "123", test_event_code: "TEST1" } }),
      "forbidden",
    );
    const ads = await createDestination(ws.actors.admin, {
      type: "google_ads",
      name: "Ads",
      config: { customer_id: "123-456-7890", conversion_action_id: "1", token_url: `${platform.url}/token` },
      secrets: { client_id: "c", client_secret: "s", refresh_token: "r" },
      enabled: false,
      test_mode: true,
    });
    const tokenMove = await rejectsWith(
      updateDestination(ws.actors.admin, ads.id, {
        config: { customer_id: "123-456-7890", conversion_action_id: "1", token_url: `${attacker.url}/token` },
        secrets: { client_id: "c" },
      }),
      "secrets_required",
    );
    assert.deepEqual(
      tokenMove.issues?.map((i) => i.path),
      ["secrets.client_secret", "secrets.refresh_token"],
    );
    const hook = await createDestination(ws.actors.engineer, {
      type: "webhook",
      name: "Hook",
      config: { url: `${platform.url}/hook` },
      secrets: { signing_secret: "0123456789abcdef" },
      enabled: false,
      test_mode: true,
    });
    await rejectsWith(
      updateDestination(ws.actors.engineer, hook.id, { config: { url: `${attacker.url}/hook` } }),
      "forbidden",
    );
    // Same origin, another path: not a new host.
    await updateDestination(ws.actors.engineer, hook.id, { config: { url: `${platform.url}/hook/v2` } });
  });

  test("in production a base_url away from the platform's host needs TRACKLAYER_ALLOWED_DESTINATION_HOSTS", async () => {
    const ws = await createTestWorkspace();
    const elsewhere = {
      type: "meta",
      name: "Meta elsewhere",
      config: { pixel_id: "1", base_url: "https://collector.example.net" },
      secrets: { access_token: "t" },
      enabled: false,
      test_mode: true,
    } as const;
    await withEnv({ NODE_ENV: "production", TRACKLAYER_ALLOWED_DESTINATION_HOSTS: undefined }, async () => {
      const refused = await rejectsWith(createDestination(ws.actors.admin, elsewhere), "unprocessable");
      assert.match(refused.issues?.find((i) => i.path === "config.base_url")?.message ?? "", /collector\.example\.net/);
    });
    await withEnv({ NODE_ENV: "production", TRACKLAYER_ALLOWED_DESTINATION_HOSTS: "collector.example.net" }, () =>
      createDestination(ws.actors.admin, elsewhere),
    );
  });
});

/** Runs fn with the given variables set (undefined unsets them), then puts the environment back. */
async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  apply(vars);
  try {
    return await fn();
  } finally {
    apply(saved);
  }
}

/**
 * A new workspace whose purchase mapping sends to the given destination; one purchase is captured and
 * one worker round runs with private networks refused. Returns the delivery row.
 */
async function deliverWithPrivateNetworkRefused(
  destination: Parameters<typeof createDestination>[1],
  event: { event_id: string; user_id: string; context?: Record<string, unknown> },
) {
  const ws = await createTestWorkspace();
  const key = await writeKeyFor(ws);
  const d = await createDestination(ws.actors.admin, destination);
  const purchase = await db().mapping.findFirstOrThrow({
    where: { workspaceId: ws.workspace.id, sourceEvent: "purchase" },
  });
  await updateMapping(ws.actors.growth, purchase.id, { destinations: { [d.id]: true } });
  const sent = await capture(key, {
    event: "purchase",
    source: "heap",
    properties: { order_id: `o_${event.event_id}`, value: 1, currency: "EUR" },
    ...event,
  });
  assert.equal(sent.status, 202);
  await withEnv({ TRACKLAYER_ALLOW_PRIVATE_NETWORK: "false" }, () =>
    runOnce("refusing-worker", defaultWorkerOptions()),
  );
  return await db().delivery.findFirstOrThrow({ where: { destinationId: d.id } });
}

describe("a refused target in the delivery log", () => {
  test("with private networks off, a delivery to 127.0.0.1 is a dead letter with the reason, not a retry", async () => {
    const hits = platform.requests.length;
    const row = await deliverWithPrivateNetworkRefused(
      {
        type: "webhook",
        name: "Local hook",
        config: { url: `${platform.url}/hook` },
        secrets: { signing_secret: "0123456789abcdef" },
        enabled: true,
        test_mode: false,
      },
      { event_id: "evt_refused_1", user_id: "u1" },
    );
    assert.equal(row.status, "dead");
    assert.equal(row.attempts, 1);
    assert.match(row.lastError ?? "", /refused to connect to 127\.0\.0\.1.*loopback/);
    assert.equal(platform.requests.length, hits, "nothing reached the receiver");
  });

  test("a refused OAuth token endpoint is a dead letter too: the refresh token is never sent", async () => {
    const hits = platform.requests.length;
    const row = await deliverWithPrivateNetworkRefused(
      {
        type: "google_ads",
        name: "Ads via local token endpoint",
        config: {
          customer_id: "123-456-7890",
          conversion_action_id: "111",
          base_url: "https://datamanager.googleapis.com",
          token_url: `${platform.url}/token`,
        },
        secrets: { client_id: "cid", client_secret: "csecret", refresh_token: "refresh-me" },
        enabled: true,
        test_mode: false,
      },
      { event_id: "evt_refused_token", user_id: "u2", context: { gclid: "Cj0-refused" } },
    );
    assert.equal(row.status, "dead");
    assert.match(row.lastError ?? "", /Google token endpoint: refused to connect to 127\.0\.0\.1: a loopback address/);
    assert.equal(platform.requests.length, hits, "the refresh token never left");
  });
});
