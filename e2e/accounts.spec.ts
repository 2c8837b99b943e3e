// Accounts people own (issue 13 #4, #11): the invite journey in the browser, sign-in throttling and
// password change over HTTP. The e2e server throttles after 5 attempts in a 15-second window.
import { expect, request, test } from "@playwright/test";
import { acceptInvitation, apiAs, pageAs, ROLE_USERS } from "./support/session";

const unique = () => Math.random().toString(36).slice(2, 8);

async function attempt(baseURL: string | undefined, email: string, password: string) {
  const api = await request.newContext({ baseURL });
  const { csrfToken } = (await (await api.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const response = await api.post("/api/auth/callback/credentials", {
    form: { csrfToken, email, password, json: "true" },
    maxRedirects: 0,
  });
  const session = await (await api.get("/api/auth/session")).json();
  await api.dispose();
  return { status: response.status(), retryAfter: response.headers()["retry-after"], email: session?.user?.email };
}

test("[admin] invites a newcomer, who sets their own password and lands signed in", async ({ browser }) => {
  const admin = await pageAs(browser, "admin");
  const email = `invitee-${unique()}@tracklayer.test`;
  await admin.goto("/members");
  await admin.getByText("Invite a member").click();
  await admin.getByLabel("Email").fill(email);
  await admin.locator('form select[name="role"]').selectOption("analyst");
  await admin.getByRole("button", { name: "Send invitation" }).click();
  const link = await admin.getByTestId("invitation-link").textContent();
  expect(link).toContain("/invite/");
  await expect(admin.getByRole("table", { name: "Pending invitations" })).toContainText(email);

  const newcomer = await (await browser.newContext()).newPage();
  await newcomer.goto(link!);
  await expect(newcomer.getByRole("heading", { name: /Join/ })).toBeVisible();
  await newcomer.getByLabel("Your name").fill("Invited Person");
  await newcomer.getByLabel(/Choose a password/).fill("short");
  await newcomer.getByRole("button", { name: "Accept invitation" }).click();
  await expect(newcomer.locator(".field-error")).toContainText("at least 10");
  await newcomer.getByLabel(/Choose a password/).fill("my-own-long-password");
  await newcomer.getByRole("button", { name: "Accept invitation" }).click();
  await expect(newcomer).toHaveURL(/\/mappings/);
  await expect(newcomer.getByTestId("current-role")).toHaveText("analyst");

  // The link worked once.
  await newcomer.goto(link!);
  await expect(newcomer.locator(".alert.error")).toContainText("used, revoked or has expired");
  await admin.reload();
  await expect(admin.getByRole("table", { name: "Members" })).toContainText(email);
  // Other specs may leave invitations pending: this one is no longer among them.
  await expect(admin.getByRole("row", { name: new RegExp(email) })).toHaveCount(1);
});

test("[admin] revokes a pending invitation; its link stops working", async ({ baseURL, browser }) => {
  const api = await apiAs("admin", baseURL);
  const email = `revoked-${unique()}@tracklayer.test`;
  const invited = await (await api.post("/api/invitations", { data: { email, role: "viewer" } })).json();
  const admin = await pageAs(browser, "admin");
  await admin.goto("/members");
  await admin
    .getByRole("row", { name: new RegExp(email) })
    .getByRole("button", { name: "Revoke" })
    .click();
  const confirm = admin.getByRole("alertdialog", { name: `Revoke the invitation of ${email}?` });
  await expect(confirm).toContainText("Its link stops working at once");
  await confirm.getByRole("button", { name: "Revoke" }).click();
  await expect(admin.getByRole("row", { name: new RegExp(email) })).toHaveCount(0);
  const token = decodeURIComponent(new URL(invited.url).pathname.split("/").pop()!);
  const accepted = await api.post("/api/invitations/accept", { data: { token, password: "long-enough-pass" } });
  expect(accepted.status()).toBe(404);
  expect((await (await api.get("/api/invitations")).json()).rows.map((r: { email: string }) => r.email)).not.toContain(
    email,
  );
});

test("sign-in: wrong passwords lock the account (429, Retry-After) until the window passes; others unaffected", async ({
  baseURL,
  browser,
}) => {
  const admin = await apiAs("admin", baseURL);
  const email = `locked-${unique()}@tracklayer.test`;
  const other = `other-${unique()}@tracklayer.test`;
  await acceptInvitation(admin, email, "viewer", "right-password-1");
  await acceptInvitation(admin, other, "viewer", "right-password-2");

  for (let i = 0; i < 5; i++) expect((await attempt(baseURL, email, "wrong-password")).status).toBe(401);
  const locked = await attempt(baseURL, email, "wrong-password");
  const lockedAt = Date.now();
  expect(locked.status).toBe(429);
  expect(Number(locked.retryAfter)).toBeGreaterThan(0);
  // The right password from the locked account is refused too.
  const right = await attempt(baseURL, email, "right-password-1");
  expect([right.status, right.email]).toEqual([429, undefined]);
  // Another account signs in.
  const unaffected = await attempt(baseURL, other, "right-password-2");
  expect([unaffected.status, unaffected.email]).toEqual([200, other]);

  // The sign-in page says why.
  const page = await (await browser.newContext()).newPage();
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("right-password-1");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator(".alert.error")).toContainText("Too many sign-in attempts");

  await new Promise((r) => setTimeout(r, lockedAt + Number(locked.retryAfter) * 1000 + 500 - Date.now()));
  const later = await attempt(baseURL, email, "right-password-1");
  expect([later.status, later.email]).toEqual([200, email]);
});

test("changing your password ends your other sessions; this one stays", async ({ baseURL }) => {
  const admin = await apiAs("admin", baseURL);
  const email = `changer-${unique()}@tracklayer.test`;
  await acceptInvitation(admin, email, "viewer", "first-password-1");
  const signedIn = async () => {
    const api = await request.newContext({ baseURL });
    const { csrfToken } = (await (await api.get("/api/auth/csrf")).json()) as { csrfToken: string };
    await api.post("/api/auth/callback/credentials", {
      form: { csrfToken, email, password: "first-password-1", json: "true" },
    });
    expect((await api.get("/api/members")).status()).toBe(200);
    return api;
  };
  const laptop = await signedIn();
  const phone = await signedIn();
  const wrong = await laptop.post("/api/account/password", {
    data: { current_password: "not-it", new_password: "second-password-2" },
  });
  expect(wrong.status()).toBe(422);
  expect((await wrong.json()).error.issues[0].path).toBe("current_password");
  const changed = await laptop.post("/api/account/password", {
    data: { current_password: "first-password-1", new_password: "second-password-2" },
  });
  expect(changed.status(), await changed.text()).toBe(200);
  expect((await laptop.get("/api/members")).status()).toBe(200);
  expect((await phone.get("/api/members")).status()).toBe(401);
  expect((await attempt(baseURL, email, "second-password-2")).email).toBe(email);
});

test("forgot password: the same answer whether or not the e-mail has an account", async ({ baseURL, page }) => {
  const api = await request.newContext({ baseURL });
  const known = await api.post("/api/password-resets", { data: { email: "e2e-viewer@tracklayer.test" } });
  const unknown = await api.post("/api/password-resets", { data: { email: `nobody-${unique()}@tracklayer.test` } });
  expect(known.status()).toBe(202);
  expect([unknown.status(), await unknown.json()]).toEqual([known.status(), await known.json()]);
  await page.goto("/signin");
  await page.getByRole("link", { name: "Forgot password?" }).click();
  // The sign-in form has an Email field too: wait for the new page before filling.
  await expect(page.getByRole("heading", { name: "Reset your password" })).toBeVisible();
  await page.getByLabel("Email").fill(`nobody-${unique()}@tracklayer.test`);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByRole("status")).toContainText("If an account exists");
  await page.goto("/reset-password/tl_pwr_made-up");
  await expect(page.locator(".alert.error")).toContainText("not valid");
});

test("[admin] a role change and a removal ask first; Cancel changes nothing", async ({ browser }) => {
  const admin = await pageAs(browser, "admin");
  const viewer = ROLE_USERS.viewer.email;
  await admin.goto("/members");
  await admin.getByLabel(`Role of ${viewer}`).selectOption("admin");
  const ask = admin.getByRole("alertdialog", { name: `Make ${viewer} admin?` });
  await expect(ask).toContainText("From viewer to admin");
  await ask.getByRole("button", { name: "Cancel" }).click();
  await expect(ask).toHaveCount(0);
  await admin
    .getByRole("row", { name: new RegExp(viewer) })
    .getByRole("button", { name: "Remove" })
    .click();
  const remove = admin.getByRole("alertdialog", { name: `Remove ${viewer}?` });
  await remove.getByRole("button", { name: "Cancel" }).click();
  await admin.reload();
  await expect(admin.getByLabel(`Role of ${viewer}`)).toHaveValue("viewer");
  await admin.context().close();
});
