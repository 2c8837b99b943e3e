// Runs first: the seeded admin adds one member per role, then each signs in once and the
// session is saved for the specs (storageState per role).
import { expect, request, test as setup } from "@playwright/test";
import { signIn } from "./support/session";
import { ROLE_NAMES, ROLE_USERS, storageStateOf } from "./support/users";

setup("sign in once per role", async ({ baseURL }) => {
  const admin = await request.newContext({ baseURL });
  await signIn(admin, ROLE_USERS.admin.email, ROLE_USERS.admin.password);
  for (const role of ROLE_NAMES) {
    if (role === "admin") continue;
    const user = ROLE_USERS[role];
    const response = await admin.post("/api/members", {
      data: { email: user.email, password: user.password, role, name: `E2E ${role}` },
    });
    expect([201, 409], await response.text()).toContain(response.status());
  }
  await admin.storageState({ path: storageStateOf("admin") });
  await admin.dispose();
  for (const role of ROLE_NAMES) {
    if (role === "admin") continue;
    const context = await request.newContext({ baseURL });
    await signIn(context, ROLE_USERS[role].email, ROLE_USERS[role].password);
    await context.storageState({ path: storageStateOf(role) });
    await context.dispose();
  }
});
