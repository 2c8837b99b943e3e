// Runs first: the seeded admin invites one member per role, each accepts with their own password
// (no SMTP in e2e: the invitation answer carries the link), signs in once, and the session is saved
// for the specs (storageState per role).
import { request, test as setup } from "@playwright/test";
import { acceptInvitation, signIn } from "./support/session";
import { ROLE_NAMES, ROLE_USERS, storageStateOf } from "./support/users";

setup("sign in once per role", async ({ baseURL }) => {
  const admin = await request.newContext({ baseURL });
  await signIn(admin, ROLE_USERS.admin.email, ROLE_USERS.admin.password);
  for (const role of ROLE_NAMES) {
    if (role === "admin") continue;
    const user = ROLE_USERS[role];
    await acceptInvitation(admin, user.email, role, user.password, `E2E ${role}`);
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
