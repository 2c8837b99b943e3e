// Computed traits: growth defines a rule in the dashboard (a broken rule shows where it breaks),
// captures arrive with a write key, and the profile page shows the computed value, its history
// and its sync to Heap — a local Heap mock started by the test.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, request, test } from "@playwright/test";
import { apiAs, pageAs } from "./support/session";

const tag = Date.now().toString(36);

test("[growth] defines a computed trait in the UI and sees it computed, with history and Heap sync, on the profile page", async ({
  browser,
  baseURL,
}) => {
  const heapCalls: { identity: string; properties: Record<string, unknown> }[] = [];
  const heap = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      if (req.url === "/api/add_user_properties")
        heapCalls.push(...(JSON.parse(body) as { users: typeof heapCalls }).users);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => heap.listen(0, "127.0.0.1", resolve));
  const heapUrl = `http://127.0.0.1:${(heap.address() as AddressInfo).port}`;

  const admin = await apiAs("admin", baseURL);
  const destination = await admin.post("/api/destinations", {
    data: {
      type: "heap",
      name: `Heap ${tag}`,
      config: { app_id: "4242", base_url: heapUrl },
      enabled: true,
      test_mode: false,
    },
  });
  expect(destination.status(), await destination.text()).toBe(201);
  const heapId = (await destination.json()).id as string;

  try {
    const page = await pageAs(browser, "growth");
    await page.goto("/computed-traits");
    await page.getByText("New computed trait").click();
    const traitKey = `pro_buyer_${tag}`.replace(/[^a-z0-9_]/g, "_");
    await page.getByLabel("Key").fill(traitKey);
    await page.getByLabel("Name").fill("Pro buyer");
    await page.getByLabel("Rule").fill("purchases_30d >= 1 and plan ==");
    await page.getByRole("button", { name: "Define computed trait" }).click();
    await expect(
      page.getByText(/expected a value, a trait or an event count but found the end of the rule \(at column 31\)/),
    ).toBeVisible();
    await page.getByLabel("Rule").fill('purchases_30d >= 1 and plan == "pro"');
    await page.getByRole("button", { name: "Define computed trait" }).click();
    await expect(page.getByRole("status")).toContainText("Defined");
    await expect(page.getByRole("table", { name: "Computed trait rules" })).toContainText(traitKey);

    const sources = (await (await admin.get("/api/sources")).json()).rows as { id: string; key: string }[];
    const writeKey = (
      await (
        await admin.post(`/api/sources/${sources.find((s) => s.key === "heap")!.id}/keys`, {
          data: { name: `traits ${tag}` },
        })
      ).json()
    ).key as string;
    const ingest = await request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${writeKey}` } });
    const user = `cust_traits_${tag}`;
    expect(
      (
        await ingest.post("/api/identify", {
          data: { user_id: user, traits: { plan: "pro", email: `${tag}@example.com` } },
        })
      ).status(),
    ).toBe(202);
    const captured = await ingest.post("/api/capture", {
      data: {
        event: "Order Completed",
        event_id: `traits_${tag}`,
        user_id: user,
        properties: { order_id: `o_${tag}`, value: 42, currency: "EUR" },
        source: "heap",
        context: { ip: "203.0.113.5", userAgent: "e2e" },
      },
    });
    expect((await captured.json()).status).toBe("accepted");

    await page.goto(`/profiles?user_id=${user}`);
    const computed = page.getByRole("table", { name: "Computed traits" });
    await expect
      .poll(
        async () => {
          await page.reload();
          return await computed
            .getByRole("row", { name: new RegExp(traitKey) })
            .textContent({ timeout: 1_000 })
            .catch(() => "");
        },
        { timeout: 30_000 },
      )
      .toContain("true");
    await expect(computed.getByRole("row", { name: /match_quality/ })).toContainText("5");
    await expect(computed.getByRole("row", { name: /last_conversion/ })).toContainText("purchase");
    await expect(computed.getByRole("row", { name: /destination_eligibility/ })).toContainText(`Heap ${tag}: eligible`);

    const history = page.getByRole("table", { name: "Computed trait history" });
    await expect(history.getByRole("row", { name: new RegExp(traitKey) }).first()).toContainText("true");
    await expect(history).toContainText(/new data for this profile|rule .* created/);

    await expect
      .poll(
        async () => {
          await page.reload();
          return await page
            .getByRole("table", { name: "Heap sync" })
            .textContent({ timeout: 1_000 })
            .catch(() => "");
        },
        { timeout: 30_000 },
      )
      .toContain("succeeded");
    expect(heapCalls.filter((c) => c.identity === user).some((c) => c.properties[`tl_${traitKey}`] === "true")).toBe(
      true,
    );
  } finally {
    await admin.patch(`/api/destinations/${heapId}`, { data: { enabled: false } });
    await new Promise((resolve) => heap.close(resolve));
  }
});

test("[growth] the computed-traits API answers bad rules with codes and field paths; [viewer] may only read", async ({
  baseURL,
}) => {
  const growth = await apiAs("growth", baseURL);
  const syntax = await growth.post("/api/computed-traits", {
    data: { key: `bad_${tag}`, name: "Bad", rule: "purchases_30d >= " },
  });
  expect(syntax.status()).toBe(400);
  const syntaxBody = await syntax.json();
  expect(syntaxBody.error.code).toBe("invalid_request");
  expect(syntaxBody.error.issues).toEqual([
    expect.objectContaining({ path: "rule", message: expect.stringContaining("(at column 17)") }),
  ]);

  const unknown = await growth.post("/api/computed-traits", {
    data: { key: `bad_${tag}`, name: "Bad", rule: "refunds_7d > 0" },
  });
  expect(unknown.status()).toBe(422);
  expect((await unknown.json()).error.issues[0]).toEqual(
    expect.objectContaining({ path: "rule", message: expect.stringContaining('unknown canonical event "refunds"') }),
  );

  const extra = await growth.post("/api/computed-traits", {
    data: { key: "match_quality", name: "x", rule: "plan", colour: "red" },
  });
  expect((await extra.json()).error.issues.map((i: { path: string }) => i.path).sort()).toEqual(["colour", "key"]);

  const viewer = await apiAs("viewer", baseURL);
  expect((await viewer.get("/api/computed-traits")).status()).toBe(200);
  expect(
    (await viewer.post("/api/computed-traits", { data: { key: `v_${tag}`, name: "V", rule: "plan" } })).status(),
  ).toBe(403);
});
