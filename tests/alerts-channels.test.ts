// Each alert channel against a local mock: a Slack incoming-webhook mock, an SMTP server
// (smtp-server) and a webhook receiver that verifies the HMAC signature. Secrets stay write-only,
// a failing channel is recorded, and a revision submitted for review reaches the review channels.
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { SMTPServer } from "smtp-server";
import { evaluateWorkspace } from "@/lib/alerts/evaluate";
import { alertHistory } from "@/lib/alerts/manage-alerts";
import {
  createAlertChannel,
  listAlertChannels,
  testAlertChannel,
  updateAlertChannel,
} from "@/lib/alerts/manage-channels";
import { sendDueNotifications } from "@/lib/alerts/send-notifications";
import { closeDatabase, db } from "@/lib/db";
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhookSignature } from "@/lib/delivery/destinations/webhook";
import { createGuardedFetch } from "@/lib/delivery/outbound";
import { transitionMapping } from "@/lib/registry/mappings/transition-mapping";
import { alertChannelCreateSchema } from "@/lib/validations/alerts";
import { HOUR, mappingOf, onlyRule, roll } from "./alerts-helpers";
import { createTestWorkspace, type TestWorkspace } from "./helpers";

const inbox: { to: string; text: string }[] = [];
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  logger: false,
  onData(stream, session, done) {
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", () => {
      inbox.push({
        to: session.envelope.rcptTo.map((r) => r.address).join(","),
        text: Buffer.concat(chunks).toString("utf8"),
      });
      done();
    });
  },
});
await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
process.env.SMTP_URL = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
process.env.SMTP_FROM = "TrackLayer <tracklayer@test.local>";
process.env.NEXTAUTH_SECRET ||= "x".repeat(32);

/** A mock that records each request's headers and body and answers `status`. */
async function mock(status = 200) {
  const got: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString();
    });
    req.on("end", () => {
      got.push({ headers: req.headers, body });
      res.writeHead(status).end(status === 200 ? "ok" : "no_service");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, got, close: () => server.close() };
}

let ws: TestWorkspace;
let slack: Awaited<ReturnType<typeof mock>>;
let hook: Awaited<ReturnType<typeof mock>>;
const SECRET = "receiver-shared-secret-1";
const channel = (input: Record<string, unknown>) =>
  createAlertChannel(ws.actors.admin, alertChannelCreateSchema.parse(input));

before(async () => {
  ws = await createTestWorkspace();
  slack = await mock();
  hook = await mock();
});
after(async () => {
  slack.close();
  hook.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await closeDatabase();
});

describe("alert channels", () => {
  test("Slack: a test message reaches the incoming webhook; the URL stays write-only", async () => {
    const c = await channel({
      type: "slack",
      name: "ops slack",
      secrets: { webhook_url: slack.url },
      notify_reviews: true,
    });
    assert.deepEqual(c.secrets_set, ["webhook_url"]);
    assert.ok(
      !JSON.stringify(await listAlertChannels(ws.actors.growth)).includes(slack.url),
      "the URL is never answered",
    );
    assert.deepEqual(await testAlertChannel(ws.actors.growth, c.id), { ok: true, error: null });
    const message = JSON.parse(slack.got.at(-1)!.body) as { text: string };
    assert.match(message.text, /^\*Test notification\*\n/);
  });

  test("e-mail: a test message reaches the SMTP server for each recipient", async () => {
    const c = await channel({
      type: "email",
      name: "on-call mail",
      config: { to: ["oncall@example.test", "lead@example.test"] },
    });
    assert.deepEqual(await testAlertChannel(ws.actors.admin, c.id), { ok: true, error: null });
    const mail = inbox.at(-1)!;
    assert.equal(mail.to, "oncall@example.test,lead@example.test");
    assert.match(mail.text, /Subject: \[TrackLayer\] Test notification/);
    await assert.rejects(
      channel({ type: "email", name: "bad", config: { to: ["not-an-address"] } }),
      (e: { issues: { path: string }[] }) => e.issues.some((i) => i.path === "config.to.0"),
    );
  });

  test("webhook: a firing alert arrives signed; the receiver verifies the HMAC", async () => {
    const c = await channel({
      type: "webhook",
      name: "pager",
      config: { url: hook.url },
      secrets: { signing_secret: SECRET },
    });
    await onlyRule(ws, "mapping_silent", { hours: 6 });
    const m = await mappingOf(ws, "Order Completed");
    const now = new Date();
    await roll(ws, { at: new Date(now.getTime() - 7 * HOUR), ...m, mappingId: m.id, status: "accepted", count: 2 });
    assert.equal((await evaluateWorkspace(ws.workspace.id, { now })).fired, 1);
    assert.equal(hook.got.length, 0, "queued with the transition, sent by the worker");
    assert.equal(await sendDueNotifications("test", { now, workspaceId: ws.workspace.id }), 3);
    const req = hook.got.at(-1)!;
    const ts = String(req.headers[TIMESTAMP_HEADER.toLowerCase()]);
    const sig = String(req.headers[SIGNATURE_HEADER.toLowerCase()]);
    assert.equal(verifyWebhookSignature(req.body, ts, sig, SECRET), true);
    assert.equal(verifyWebhookSignature(req.body, ts, sig, "another-secret-value"), false);
    const payload = JSON.parse(req.body) as { type: string; alert: { kind: string; title: string } };
    assert.equal(payload.type, "alert.fired");
    assert.match(payload.alert.title, /Order Completed \(heap\) silent for 7 h/);
    assert.match(JSON.parse(slack.got.at(-1)!.body).text, /^\*Firing: Order Completed/);
    const [fired] = (await alertHistory(ws.actors.viewer, { per_page: 1 })).rows;
    assert.equal(fired?.kind, "fired");
    assert.deepEqual(
      fired!.deliveries.map((r) => [r.name, r.status, r.attempts]),
      [
        ["on-call mail", "sent", 1],
        ["ops slack", "sent", 1],
        ["pager", "sent", 1],
      ],
    );
    // Moving the webhook elsewhere takes the signing secret again.
    await assert.rejects(
      updateAlertChannel(ws.actors.admin, c.id, { config: { url: "https://elsewhere.example/hook" } }),
      {
        code: "secrets_required",
      },
    );
  });

  test("a failing channel is answered and recorded; private targets go through the outbound guard", async () => {
    const down = await mock(503);
    const c = await channel({ type: "slack", name: "broken", secrets: { webhook_url: down.url } });
    assert.deepEqual(await testAlertChannel(ws.actors.admin, c.id), { ok: false, error: "HTTP 503: no_service" });
    const strict = createGuardedFetch({ allowPrivateNetwork: false });
    const refused = await testAlertChannel(ws.actors.admin, c.id, { fetchImpl: strict });
    assert.match(refused.error!, /refused to connect to 127\.0\.0\.1/);
    down.close();
  });

  test("a revision submitted for review reaches the channels that asked for reviews", async () => {
    const draft = await db().mapping.findFirstOrThrow({ where: { workspaceId: ws.workspace.id, status: "draft" } });
    const before = slack.got.length;
    await transitionMapping(ws.actors.analyst, draft.id, "submit");
    for (let i = 0; i < 50 && slack.got.length === before; i++) await new Promise((r) => setTimeout(r, 50));
    assert.match(JSON.parse(slack.got.at(-1)!.body).text, /^\*Review requested: start_trial revision 1\*/);
  });
});
