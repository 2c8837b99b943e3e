// OAuth2 refresh tokens (Google Ads, LinkedIn): which secrets are accepted, how access tokens are
// minted, shared, cached until they expire and replaced, against a local token endpoint; and a
// Google Ads destination that only has refresh credentials delivering through the real engine.
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { closeDatabase, db } from "@/lib/db";
import { getDelivery } from "@/lib/delivery/deliveries";
import { googleAdsSecretsSchema } from "@/lib/delivery/destinations/google-ads";
import { linkedinSecretsSchema } from "@/lib/delivery/destinations/linkedin";
import { createDestination, getDestination } from "@/lib/delivery/manage-destinations";
import { GOOGLE_OAUTH, TokenError, tokenRejected, withAccessToken } from "@/lib/delivery/oauth";
import { updateMapping } from "@/lib/registry/mappings/update-mapping";
import { defaultWorkerOptions } from "@/lib/worker/options";
import { runOnce } from "@/lib/worker/run-once";
import { createTestWorkspace } from "./helpers";
import { capture, ofEvents, writeKeyFor } from "./ingest-helpers";
import { startGoogleAdsMock } from "./platform-mocks/google-ads";

interface TokenServer {
  url: string;
  grants: URLSearchParams[];
  /** Next answers, in order; afterwards each grant gets token-<n>. */
  replies: { status: number; body: unknown }[];
  close(): Promise<void>;
}

async function startTokenServer(): Promise<TokenServer> {
  const grants: URLSearchParams[] = [];
  const replies: TokenServer["replies"] = [];
  const server = http.createServer((req, res) => {
    let text = "";
    req.on("data", (c: Buffer) => (text += c.toString()));
    req.on("end", () => {
      const form = new URLSearchParams(text);
      grants.push(form);
      const reply = replies.shift() ?? {
        status: 200,
        body: { access_token: `token-${grants.length}`, expires_in: 3599, token_type: "Bearer" },
      };
      // Like the real endpoints: the form must be a refresh grant with all three credentials.
      const complete =
        req.headers["content-type"] === "application/x-www-form-urlencoded" &&
        form.get("grant_type") === "refresh_token" &&
        form.get("client_id") &&
        form.get("client_secret") &&
        form.get("refresh_token");
      const answer = complete ? reply : { status: 400, body: { error: "invalid_request" } };
      res.writeHead(answer.status, { "content-type": "application/json" }).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`,
    grants,
    replies,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

const REFRESH = { client_id: "cid.apps.googleusercontent.com", client_secret: "csecret", refresh_token: "1//refresh" };
const google = { oauth: GOOGLE_OAUTH };

describe("OAuth secrets", () => {
  test("an access_token alone, or client_id + client_secret + refresh_token; partial sets name what is missing", () => {
    for (const schema of [googleAdsSecretsSchema, linkedinSecretsSchema]) {
      assert.equal(schema.safeParse({ access_token: "ya29.token" }).success, true);
      assert.equal(schema.safeParse(REFRESH).success, true);
      const none = schema.safeParse({});
      assert.deepEqual(
        none.error?.issues.map((i) => i.path.join(".")),
        ["access_token"],
      );
      assert.match(none.error!.issues[0]!.message, /access_token is required: .*refresh_token to mint them/);
      const partial = schema.safeParse({ client_id: "x", access_token: "also set" });
      assert.deepEqual(partial.error?.issues.map((i) => i.path.join(".")).sort(), ["client_secret", "refresh_token"]);
      assert.match(partial.error!.issues[0]!.message, /go together/);
    }
  });
});

describe("minting access tokens", () => {
  let tokens: TokenServer;
  before(async () => (tokens = await startTokenServer()));
  after(() => tokens.close());
  const settings = (destinationTag: string, secrets: Record<string, string> = REFRESH) => ({
    config: { token_url: tokens.url, tag: destinationTag },
    secrets,
  });

  test("a static access_token is used as it is: no token request", async () => {
    const out = await withAccessToken(google, "d-static", settings("static", { access_token: "ya29.static" }));
    assert.equal(out.secrets.access_token, "ya29.static");
    assert.equal(tokens.grants.length, 0);
  });

  test("concurrent sends share one minted token; it is reused until shortly before it expires, then replaced", async () => {
    let clock = 1_000_000;
    const now = () => clock;
    const [a, b] = await Promise.all([
      withAccessToken(google, "d-cache", settings("cache"), { now }),
      withAccessToken(google, "d-cache", settings("cache"), { now }),
    ]);
    assert.equal(tokens.grants.length, 1, "one grant for both");
    assert.equal(a.secrets.access_token, "token-1");
    assert.equal(b.secrets.access_token, "token-1");
    assert.deepEqual(Object.fromEntries(tokens.grants[0]!), { grant_type: "refresh_token", ...REFRESH });
    assert.equal(a.secrets.refresh_token, REFRESH.refresh_token, "the stored credentials stay in the secrets");

    clock += 3_000_000; // 50 minutes: still valid
    assert.equal(
      (await withAccessToken(google, "d-cache", settings("cache"), { now })).secrets.access_token,
      "token-1",
    );
    clock += 600_000; // 60 minutes: within the safety margin of its 3599 s lifetime
    assert.equal(
      (await withAccessToken(google, "d-cache", settings("cache"), { now })).secrets.access_token,
      "token-2",
    );
    assert.equal(tokens.grants.length, 2);
  });

  test("a 401 from the platform forgets the token: the next send mints a new one", async () => {
    const first = await withAccessToken(google, "d-401", settings("401"));
    assert.equal(tokenRejected(google, "d-401", first.secrets, { status: 403 }), false, "only 401 means the token");
    assert.equal(tokenRejected({}, "d-401", first.secrets, { status: 401 }), false, "modules without OAuth");
    assert.equal(
      tokenRejected(google, "d-401", { access_token: "static" }, { status: 401 }),
      false,
      "static tokens cannot be renewed",
    );
    assert.equal(tokenRejected(google, "d-401", first.secrets, { status: 401 }), true);
    const second = await withAccessToken(google, "d-401", settings("401"));
    assert.notEqual(second.secrets.access_token, first.secrets.access_token);
  });

  test("a refused or unreachable token endpoint is a TokenError saying why (and what to do); nothing is cached", async () => {
    tokens.replies.push({
      status: 400,
      body: { error: "invalid_grant", error_description: "Token has been expired or revoked." },
    });
    await assert.rejects(withAccessToken(google, "d-bad", settings("bad")), (error: Error) => {
      assert.ok(error instanceof TokenError);
      assert.match(
        error.message,
        /^Google did not issue an access token \(invalid_grant: Token has been expired or revoked\.\); reconnect/,
      );
      return true;
    });
    tokens.replies.push({ status: 503, body: {} });
    await assert.rejects(
      withAccessToken(google, "d-bad", settings("bad")),
      /Google did not issue an access token \(HTTP 503\)$/,
    );
    const ok = await withAccessToken(google, "d-bad", settings("bad"));
    assert.match(ok.secrets.access_token as string, /^token-\d+$/);
    await assert.rejects(
      withAccessToken(google, "d-down", { config: { token_url: "http://127.0.0.1:9/token" }, secrets: REFRESH }),
      /Google token endpoint unreachable/,
    );
  });

  test("the token endpoint comes from the destination's token_url, else TRACKLAYER_GOOGLE_TOKEN_URL, else Google's", async () => {
    const before = tokens.grants.length;
    await withAccessToken(
      google,
      "d-env",
      { config: {}, secrets: REFRESH },
      { env: { TRACKLAYER_GOOGLE_TOKEN_URL: tokens.url } },
    );
    assert.equal(tokens.grants.length, before + 1);
    assert.equal(GOOGLE_OAUTH.tokenUrl, "https://oauth2.googleapis.com/token");
  });
});

describe("a Google Ads destination with refresh credentials, through the delivery engine", () => {
  let tokens: TokenServer;
  let googleAds: Awaited<ReturnType<typeof startGoogleAdsMock>>;
  before(async () => {
    tokens = await startTokenServer();
    googleAds = await startGoogleAdsMock();
  });
  after(async () => {
    await Promise.all([tokens.close(), googleAds.close()]);
    await closeDatabase();
  });

  test("deliveries carry the minted token; a 401 retries with a new one; a revoked refresh token delays delivery with the reason", async () => {
    const ws = await createTestWorkspace();
    const key = await writeKeyFor(ws);
    const destination = await createDestination(ws.actors.admin, {
      type: "google_ads",
      name: "Google Ads (refresh)",
      config: {
        customer_id: "123-456-7890",
        conversion_action_id: "111",
        base_url: googleAds.url,
        token_url: tokens.url,
      },
      secrets: REFRESH,
      enabled: true,
      test_mode: false,
    });
    assert.deepEqual(
      (await getDestination(ws.actors.engineer, destination.id)).secrets_set,
      ["client_id", "client_secret", "refresh_token"],
      "names only, never values",
    );
    const purchase = await db().mapping.findFirstOrThrow({
      where: { workspaceId: ws.workspace.id, sourceEvent: "purchase" },
    });
    await updateMapping(ws.actors.growth, purchase.id, { destinations: { [destination.id]: true } });
    let clock = Date.now();
    const options = () =>
      defaultWorkerOptions({
        now: () => new Date(clock),
        policy: { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 1_000, maxAgeMs: 86_400_000 },
      });
    const send = async (order: string) => {
      assert.equal(
        (
          await capture(key, {
            event: "purchase",
            event_id: `evt_${order}`,
            user_id: "oauth_user",
            source: "heap",
            properties: { order_id: order, value: 10, currency: "EUR" },
            context: { gclid: `Cj0-${order}` },
          })
        ).status,
        202,
      );
      return db().delivery.findFirstOrThrow({
        where: { destinationId: destination.id, ...(await ofEvents(`evt_${order}`)) },
      });
    };
    const deliver = async () => {
      clock += 5_000;
      await runOnce("oauth-worker", options());
    };
    const grantsBefore = tokens.grants.length;

    const first = await send("oauth_1");
    await deliver();
    const firstRow = await db().delivery.findUniqueOrThrow({ where: { id: first.id } });
    assert.equal(firstRow.status, "succeeded", firstRow.lastError ?? "");
    const minted = `token-${grantsBefore + 1}`;
    assert.equal(googleAds.received.at(-1)!.headers.authorization, `Bearer ${minted}`);

    // The platform rejects the token (revoked early): retried, and the retry carries a new one.
    googleAds.faults.push({
      status: 401,
      body: {
        error: { code: 401, status: "UNAUTHENTICATED", message: "Request had invalid authentication credentials." },
      },
    });
    const second = await send("oauth_2");
    await deliver();
    assert.equal((await db().delivery.findUniqueOrThrow({ where: { id: second.id } })).status, "retrying");
    await deliver();
    assert.equal((await db().delivery.findUniqueOrThrow({ where: { id: second.id } })).status, "succeeded");
    assert.equal(googleAds.received.at(-1)!.headers.authorization, `Bearer token-${grantsBefore + 2}`);
    const { log } = await getDelivery(ws.actors.engineer, second.id);
    assert.deepEqual(
      log.map((a) => [a.outcome, a.response.status]),
      [
        ["retry", 401],
        ["success", 200],
      ],
    );
    assert.match(log[0]!.reason, /rejected the minted access token/);
    assert.equal(JSON.stringify(log).includes("token-"), false, "the delivery log never shows a token");

    // An hour later the token has expired and the refresh token has been revoked: nothing is sent, the
    // delivery waits with the reason, and resumes once the endpoint issues tokens again.
    clock += 3_600_000;
    tokens.replies.push({
      status: 400,
      body: { error: "invalid_grant", error_description: "Token has been expired or revoked." },
    });
    const third = await send("oauth_3");
    const requests = googleAds.received.length;
    await deliver();
    const waiting = await db().delivery.findUniqueOrThrow({ where: { id: third.id } });
    assert.equal(waiting.status, "retrying");
    assert.match(waiting.lastError ?? "", /invalid_grant: Token has been expired or revoked\.\); reconnect/);
    assert.equal(googleAds.received.length, requests, "no request without a token");
    await deliver();
    assert.equal((await db().delivery.findUniqueOrThrow({ where: { id: third.id } })).status, "succeeded");
    assert.deepEqual(googleAds.duplicates(), [], "nothing accepted twice");
  });
});
