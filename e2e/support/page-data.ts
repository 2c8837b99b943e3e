// Data for page-level specs (a11y, phone): one captured purchase delivered to a local receiver through the
// seeded "Order Completed" mapping, and one audience, so record pages and the overview have something to show.
import { type APIRequestContext, expect, request } from "@playwright/test";
import type { PageData } from "./dashboard-pages";
import { addWebhookDestination, type Receiver, startReceiver } from "./receiver";
import { apiAs } from "./session";

export interface Seeded extends PageData {
  tag: string;
  /** A capture context holding a heap write key. */
  ingest: APIRequestContext;
  /** Undoes what would change other specs' results (the destination on the shared mapping). */
  cleanup(): Promise<void>;
}

export const purchase = (tag: string, n: number) => ({
  event: "Order Completed",
  event_id: `purchase_pages_${tag}_${n}`,
  user_id: `cust_pages_${tag}`,
  source: "heap",
  properties: { order_id: `pages_${tag}_${n}`, value: 10 + n, currency: "EUR" },
});

export async function seedPageData(baseURL: string | undefined): Promise<Seeded> {
  const tag = Date.now().toString(36);
  const admin = await apiAs("admin", baseURL);
  const receiver: Receiver = await startReceiver();
  const destinationId = await addWebhookDestination(admin, `Pages receiver ${tag}`, receiver.url, false);
  const mappingId = (await (await admin.get("/api/mappings?q=Order%20Completed&source=heap")).json()).rows[0].id;
  const toggle = (on: boolean) =>
    admin.patch(`/api/mappings/${mappingId}`, { data: { destinations: { [destinationId]: on } } });
  expect((await toggle(true)).status()).toBe(200);
  const heap = ((await (await admin.get("/api/sources")).json()).rows as { id: string; key: string }[]).find(
    (s) => s.key === "heap",
  )!;
  const key = (await (await admin.post(`/api/sources/${heap.id}/keys`, { data: { name: `pages ${tag}` } })).json())
    .key as string;
  const ingest = await request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${key}` } });
  for (let n = 0; n < 3; n++) {
    const sent = await ingest.post("/api/capture", { data: purchase(tag, n) });
    expect(sent.status(), await sent.text()).toBe(202);
  }
  const eventKey = purchase(tag, 0).event_id;
  const events = await (await admin.get(`/api/events?q=${eventKey}`)).json();
  let deliveryId = "";
  await expect
    .poll(async () => {
      const rows = (await (await admin.get(`/api/deliveries?q=${eventKey}`)).json()).rows as { id: string }[];
      deliveryId = rows[0]?.id ?? "";
      return deliveryId;
    })
    .not.toBe("");
  const audienceKey = `pages-${tag}`;
  const audience = await admin.post("/api/audiences", {
    data: { key: audienceKey, name: `Pages ${tag}`, description: "Audience for page checks", destinations: [] },
  });
  expect(audience.status(), await audience.text()).toBe(201);
  return {
    tag,
    ingest,
    mappingId,
    eventId: events.rows[0].id,
    deliveryId,
    audienceKey,
    async cleanup() {
      await toggle(false);
      await admin.patch(`/api/destinations/${destinationId}`, { data: { enabled: false } });
      receiver.close();
      await ingest.dispose();
      await admin.dispose();
    },
  };
}
