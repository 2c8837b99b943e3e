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
