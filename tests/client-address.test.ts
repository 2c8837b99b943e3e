// The address sign-in and password-reset throttling count against: resolved at the HTTP server from
// the socket, so a client sending its own X-Forwarded-For cannot spread attempts over fake addresses.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { clientAddress } from "@/lib/auth/sign-in-throttle";
import { resolveClientAddress, withClientAddress } from "@/lib/runtime/client-address";

describe("resolveClientAddress", () => {
  test("with no trusted proxy, the socket's address wins over any header", () => {
    assert.equal(resolveClientAddress("203.0.113.9", "198.51.100.1", 0), "198.51.100.1");
    assert.equal(resolveClientAddress(undefined, "198.51.100.1", 0), "198.51.100.1");
  });

  test("with one trusted proxy, the address that proxy appended", () => {
    assert.equal(resolveClientAddress("203.0.113.9, 192.0.2.7", "10.0.0.2", 1), "192.0.2.7");
  });

  test("with two trusted proxies, the address the outer one saw", () => {
    assert.equal(resolveClientAddress("spoofed, 192.0.2.7, 10.0.0.3", "10.0.0.2", 2), "192.0.2.7");
  });

  test("more trusted proxies than hops falls back to the first hop", () => {
    assert.equal(resolveClientAddress(undefined, "10.0.0.2", 3), "10.0.0.2");
  });
});

describe("the server's client address step", () => {
  let url = "";
  const server = createServer(
    withClientAddress((request, response) => {
      response.end(clientAddress(new Headers({ "x-forwarded-for": String(request.headers["x-forwarded-for"]) })));
    }, 0),
  );
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  after(() => server.close());

  test("a spoofed X-Forwarded-For does not change the throttled address", async () => {
    const answers = await Promise.all(
      ["203.0.113.1", "203.0.113.2", "1.1.1.1, 203.0.113.3"].map(async (spoof) =>
        (await fetch(url, { headers: { "x-forwarded-for": spoof } })).text(),
      ),
    );
    assert.deepEqual(answers, ["127.0.0.1", "127.0.0.1", "127.0.0.1"]);
  });
});
