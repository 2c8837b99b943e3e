// Sending events as a source would: an admin mints a write key for the demo's Heap source, and a
// request context carries it on every call.
import { type APIRequestContext, expect, request } from "@playwright/test";
import { apiAs } from "./session";

/** A new write key (the secret, shown once) for a demo source, created by the admin. */
export async function createWriteKey(baseURL: string | undefined, name: string, source = "heap"): Promise<string> {
  const admin = await apiAs("admin", baseURL);
  const sources = (await (await admin.get("/api/sources")).json()).rows as { id: string; key: string }[];
  const found = sources.find((s) => s.key === source);
  expect(found, `the demo has a ${source} source`).toBeTruthy();
  const created = await admin.post(`/api/sources/${found!.id}/keys`, { data: { name } });
  expect(created.status(), await created.text()).toBe(201);
  const { key } = (await created.json()) as { key: string };
  await admin.dispose();
  return key;
}

/** A request context that sends with a new write key (dispose it in afterAll). */
export async function ingestContext(baseURL: string | undefined, name: string): Promise<APIRequestContext> {
  const writeKey = await createWriteKey(baseURL, name);
  return request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${writeKey}` } });
}
