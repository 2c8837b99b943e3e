// The guarded fetch every outgoing destination request uses: private, loopback, link-local and metadata
// addresses are refused after DNS resolution unless the operator switch allows private networks (metadata
// never), and a destination's own URL overrides must stay on the platform's host in production.
import assert from "node:assert/strict";
import dns from "node:dns";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, mock, test } from "node:test";
import { refusedOutcome, send } from "@/lib/delivery/engine/send";
import {
  addressRefusal,
  createGuardedFetch,
  guardedFetch,
  type OutboundRefused,
  overrideRefusal,
  refusalOf,
} from "@/lib/delivery/outbound";

let server: http.Server;
let port: number;
let hits = 0;

before(async () => {
  server = http.createServer((_req, res) => {
    hits++;
    res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function refusal(fetchImpl: typeof fetch, url: string): Promise<OutboundRefused> {
  const error = await fetchImpl(url).then(
    () => null,
    (e: unknown) => e,
  );
  const refused = refusalOf(error);
  assert.ok(refused, `expected a refusal, got ${String(error)}`);
  return refused;
}

describe("address rules", () => {
  const off = { allowPrivateNetwork: false };
  const on = { allowPrivateNetwork: true };
  test("private, loopback, link-local, unique-local and mapped addresses are refused; public ones pass", () => {
    for (const address of [
      "127.0.0.1",
      "::1",
      "::ffff:127.0.0.1",
      "10.1.2.3",
      "172.16.0.1",
      "192.168.1.1",
      "169.254.1.1",
      "fe80::1",
      "fd12:3456::1",
      "0.0.0.0",
      "100.64.0.1",
    ])
      assert.ok(addressRefusal(address, off), address);
    for (const address of ["8.8.8.8", "2606:4700:4700::1111", "142.250.74.110"])
      assert.equal(addressRefusal(address, off), null, address);
    assert.match(addressRefusal("127.0.0.1", off)!, /loopback/);
  });
  test("metadata addresses are refused even with private networks allowed", () => {
    for (const address of ["169.254.169.254", "fd00:ec2::254", "::ffff:169.254.169.254", "100.100.100.200"])
      assert.match(addressRefusal(address, on) ?? "", /metadata/, address);
    assert.equal(addressRefusal("127.0.0.1", on), null);
    assert.equal(addressRefusal("10.0.0.7", on), null);
  });
});

describe("guarded fetch", () => {
  test("127.0.0.1 is refused with the switch off, and nothing reaches the server", async () => {
    const before = hits;
    const refused = await refusal(createGuardedFetch({ allowPrivateNetwork: false }), `http://127.0.0.1:${port}/x`);
    assert.match(
      refused.message,
      /refused to connect to 127\.0\.0\.1: a loopback address.*TRACKLAYER_ALLOW_PRIVATE_NETWORK/,
    );
    assert.equal(hits, before);
  });
  test("a host name resolving to 127.0.0.1 (localhost) is refused after resolution with the switch off", async () => {
    const before = hits;
    const refused = await refusal(createGuardedFetch({ allowPrivateNetwork: false }), `http://localhost:${port}/x`);
    assert.match(refused.message, /localhost: it resolves to (127\.0\.0\.1|::1), a loopback address/);
    await refusal(createGuardedFetch({ allowPrivateNetwork: false }), `http://[::ffff:127.0.0.1]:${port}/x`);
    assert.equal(hits, before);
  });
  test("the metadata address is refused with the switch on", async () => {
    await refusal(createGuardedFetch({ allowPrivateNetwork: true }), "http://169.254.169.254/latest/meta-data/");
  });
  test("with the switch on, 127.0.0.1 and localhost are reached", async () => {
    const before = hits;
    const fetchOn = createGuardedFetch({ allowPrivateNetwork: true });
    assert.equal((await fetchOn(`http://127.0.0.1:${port}/x`)).status, 200);
    assert.equal((await fetchOn(`http://localhost:${port}/x`, { method: "POST", body: "{}" })).status, 200);
    assert.equal(hits, before + 2);
  });
  test("the default fetch follows TRACKLAYER_ALLOW_PRIVATE_NETWORK, and send() records a refusal as permanent", async () => {
    const saved = process.env.TRACKLAYER_ALLOW_PRIVATE_NETWORK;
    try {
      delete process.env.TRACKLAYER_ALLOW_PRIVATE_NETWORK; // production default: off
      await refusal(guardedFetch, `http://127.0.0.1:${port}/x`);
      const exchange = await send(
        { method: "POST", url: `http://127.0.0.1:${port}/x`, headers: {}, body: "{}" } as never,
        2_000,
      );
      assert.ok("refused" in exchange.answer && exchange.answer.refused);
      assert.deepEqual(refusedOutcome(exchange.answer)?.outcome, "permanent");
      process.env.TRACKLAYER_ALLOW_PRIVATE_NETWORK = "true";
      assert.equal((await guardedFetch(`http://127.0.0.1:${port}/x`)).status, 200);
      const ok = await send(
        { method: "POST", url: `http://127.0.0.1:${port}/x`, headers: {}, body: "{}" } as never,
        2_000,
      );
      assert.equal("status" in ok.answer && ok.answer.status, 200);
      assert.equal(refusedOutcome(ok.answer), null);
    } finally {
      if (saved === undefined) delete process.env.TRACKLAYER_ALLOW_PRIVATE_NETWORK;
      else process.env.TRACKLAYER_ALLOW_PRIVATE_NETWORK = saved;
    }
  });
});

describe("resolution happens once, and the connection goes to the checked address", () => {
  type Lookup = (host: string, options: object, callback: (e: Error | null, a: dns.LookupAddress[]) => void) => void;
  const answering = (addresses: dns.LookupAddress[]) => {
    const calls: string[] = [];
    const fake: Lookup = (host, _options, callback) => {
      calls.push(host);
      callback(null, addresses);
    };
    mock.method(dns, "lookup", fake);
    return calls;
  };
  test("a name with any private address among its answers is refused before connecting", async () => {
    const calls = answering([
      { address: "93.184.215.14", family: 4 },
      { address: "127.0.0.1", family: 4 },
    ]);
    try {
      const refused = await refusal(createGuardedFetch({ allowPrivateNetwork: false }), `http://mixed.test:${port}/`);
      assert.match(refused.message, /mixed\.test: it resolves to 127\.0\.0\.1, a loopback address/);
      assert.deepEqual(calls, ["mixed.test"]);
    } finally {
      mock.restoreAll();
    }
  });
  test("the socket connects to the address the guard checked: one lookup, no second resolution to rebind", async () => {
    const calls = answering([{ address: "127.0.0.1", family: 4 }]);
    const before = hits;
    try {
      // rebind.test exists only in the guard's answer: reaching the server proves the socket used that answer.
      const response = await createGuardedFetch({ allowPrivateNetwork: true })(`http://rebind.test:${port}/`);
      assert.equal(response.status, 200);
      assert.deepEqual(calls, ["rebind.test"]);
      assert.equal(hits, before + 1);
    } finally {
      mock.restoreAll();
    }
  });
});

describe("URL overrides in production", () => {
  const official = ["https://graph.facebook.com"];
  const production = { NODE_ENV: "production" as const, TRACKLAYER_ALLOWED_DESTINATION_HOSTS: [] };
  test("the platform's host passes; any other host is refused unless the operator allowed it", () => {
    assert.equal(overrideRefusal("https://graph.facebook.com/v21.0", official, "config.base_url", production), null);
    assert.match(
      overrideRefusal("https://evil.example/collect", official, "config.base_url", production) ?? "",
      /config\.base_url points at evil\.example.*TRACKLAYER_ALLOWED_DESTINATION_HOSTS/,
    );
    const allowed = {
      ...production,
      TRACKLAYER_ALLOWED_DESTINATION_HOSTS: ["proxy.corp.example", "*.staging.example"],
    };
    assert.equal(overrideRefusal("https://proxy.corp.example", official, "config.base_url", allowed), null);
    assert.equal(overrideRefusal("https://meta.staging.example", official, "config.base_url", allowed), null);
    assert.ok(overrideRefusal("https://staging.example.evil.example", official, "config.base_url", allowed));
  });
  test("outside production overrides are free (tests and development point them at local mocks)", () => {
    assert.equal(
      overrideRefusal("http://127.0.0.1:9/x", official, "config.base_url", {
        NODE_ENV: "development",
        TRACKLAYER_ALLOWED_DESTINATION_HOSTS: [],
      }),
      null,
    );
  });
});
