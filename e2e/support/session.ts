// Programmatic sign-in (next-auth credentials flow) for API contexts and saved browser states.
import { type APIRequestContext, type Browser, expect, request as playwrightRequest } from "@playwright/test";
import { ROLE_USERS, type RoleName, storageStateOf } from "./users";

export async function signIn(api: APIRequestContext, email: string, password: string) {
  const { csrfToken } = (await (await api.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const response = await api.post("/api/auth/callback/credentials", {
    form: { csrfToken, email, password, json: "true" },
    maxRedirects: 0,
  });
  expect([200, 302]).toContain(response.status());
  const session = await (await api.get("/api/auth/session")).json();
  expect(session?.user?.email, `signed in as ${email}`).toBe(email);
}

/** An API context carrying the saved session of a role. */
export function apiAs(role: RoleName, baseURL: string | undefined) {
  return playwrightRequest.newContext({ baseURL, storageState: storageStateOf(role) });
}

/** A browser page signed in as a role (its saved session). */
export async function pageAs(browser: Browser, role: RoleName) {
  return (await browser.newContext({ storageState: storageStateOf(role) })).newPage();
}

export { ROLE_USERS };

/** Invites someone as an admin and accepts with their password (the link comes back when no e-mail is sent). */
export async function acceptInvitation(
  admin: APIRequestContext,
  email: string,
  role: string,
  password: string,
  name?: string,
) {
  const invited = await admin.post("/api/invitations", { data: { email, role } });
  if (invited.status() === 409) return; // already a member (a re-run against the same data)
  expect(invited.status(), await invited.text()).toBe(201);
  const { url, delivery } = (await invited.json()) as { url: string; delivery: string };
  expect(delivery).toBe("link");
  const token = decodeURIComponent(new URL(url).pathname.split("/").pop()!);
  const accepted = await admin.post("/api/invitations/accept", {
    data: { token, password, ...(name ? { name } : {}) },
  });
  expect(accepted.status(), await accepted.text()).toBe(200);
  return { url, token };
}
