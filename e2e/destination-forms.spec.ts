// Typed destination forms: an admin fills a webhook's labelled fields, saves, sends a test event to a local
// receiver and reads the result (accepted, the platform's words, a link to its log entry); secrets stay
// write-only; moving the webhook needs its secret again, said at the field; the card lists the mappings.
import { type Browser, expect, type Page, test } from "@playwright/test";
import { type Receiver, startReceiver } from "./support/receiver";
import { apiAs, pageAs } from "./support/session";
import type { RoleName } from "./support/users";

const tag = Date.now().toString(36);
let receiver: Receiver;
let other: Receiver;

test.beforeAll(async () => {
  receiver = await startReceiver("/hook");
  other = await startReceiver("/moved");
});
test.afterAll(() => {
  receiver.close();
  other.close();
});

async function openNewDestination(page: Page) {
  await page.goto("/destinations");
  await page.getByText("New destination", { exact: true }).click();
  return page.getByRole("form", { name: "New destination" });
}

/** An admin creates a test-mode webhook to `receiver`; `role` opens its edit form on the destinations page. */
async function editWebhookAs(browser: Browser, baseURL: string | undefined, role: RoleName, name: string) {
  const admin = await apiAs("admin", baseURL);
  const created = await admin.post("/api/destinations", {
    data: {
      type: "webhook",
      name,
      config: { url: receiver.url },
      secrets: { signing_secret: `the-signing-secret-of-${name}` },
      test_mode: true,
    },
  });
  expect(created.status()).toBe(201);
  const page = await pageAs(browser, role);
  await page.goto("/destinations");
  const card = page.getByRole("region", { name: `Destination ${name}` });
  await card.getByText(`Edit ${name}`).click();
  return { page, form: card.getByRole("form", { name: `Edit ${name}` }) };
}

test("[admin] the Meta form shows labelled fields with where each comes from, and a bad pixel id at its field", async ({
  browser,
}) => {
  const page = await pageAs(browser, "admin");
  const form = await openNewDestination(page);
  await form.getByRole("combobox", { name: "Type" }).selectOption({ label: "Meta Conversions API" });
  await expect(form.getByLabel("Dataset (pixel) ID (required)")).toBeVisible();
  await expect(form.getByRole("link", { name: "Events Manager → Data sources" })).toHaveAttribute(
    "href",
    /facebook\.com/,
  );
  await expect(form.getByRole("group", { name: /^Credentials/ }).getByLabel("Access token (required)")).toHaveAttribute(
    "type",
    "password",
  );
  await expect(form.getByRole("textbox", { name: /Settings \(JSON\)/ })).toHaveCount(0);
  await form.getByLabel("Name", { exact: true }).fill(`Meta ${tag}`);
  await form.getByLabel("Dataset (pixel) ID (required)").fill("not-a-number");
  await form.getByRole("button", { name: "Create destination" }).click();
  await expect(
    form.getByRole("alert").filter({ hasText: "pixel_id must be the numeric dataset (pixel) ID" }),
  ).toBeVisible();
});

test("[admin] creates a webhook with the typed form, sends a test event and reads an accepted result with its log", async ({
  browser,
  baseURL,
}) => {
  const name = `Typed webhook ${tag}`;
  const page = await pageAs(browser, "admin");
  const form = await openNewDestination(page);
  await form.getByRole("combobox", { name: "Type" }).selectOption({ label: "Webhook" });
  await form.getByLabel("Name", { exact: true }).fill(name);
  await form.getByLabel("Receiver URL (required)").fill(receiver.url);
  await form.getByLabel("Signing secret (required)").fill("a-signing-secret-long-enough");
  await form.getByRole("checkbox", { name: /^Enabled/ }).check();
  await expect(form.getByRole("checkbox", { name: /^Test mode/ })).toBeChecked();
  await form.getByRole("button", { name: "Create destination" }).click();
  await expect(form.getByText("Destination created.")).toBeVisible();

  const card = page.getByRole("region", { name: `Destination ${name}` });
  await expect(card).toContainText("Webhook");
  await expect(card).toContainText("test mode");
  await expect(card).toContainText("no mapping sends here yet");
  await expect(card).not.toContainText("a-signing-secret-long-enough");

  await card.getByRole("button", { name: "Send test event" }).click();
  const result = card.getByRole("region", { name: `Test event result for ${name}` });
  await expect(result).toContainText("accepted");
  await expect(result).toContainText("HTTP 200");
  await expect(result.getByText("Platform said")).toBeVisible();
  await expect(result).toContainText('{"ok":true}');
  expect(receiver.bodies.some((b) => b.includes("tracklayer_test_"))).toBe(true);
  await result.getByRole("link", { name: "Test event log entry" }).click();
  await expect(page).toHaveURL(/\/audit\?entity_type=destination&entity_id=/);
  await expect(page.getByText(`sent a test event to ${name}: accepted (HTTP 200)`)).toBeVisible();

  // The card names the mappings that send here.
  const admin = await apiAs("admin", baseURL);
  const id = ((await (await admin.get("/api/destinations")).json()).rows as { id: string; name: string }[]).find(
    (d) => d.name === name,
  )!.id;
  const growth = await apiAs("growth", baseURL);
  const mapping = (await (await growth.get("/api/mappings?q=Order%20Completed&source=heap")).json()).rows[0];
  expect((await growth.patch(`/api/mappings/${mapping.id}`, { data: { destinations: { [id]: true } } })).status()).toBe(
    200,
  );
  try {
    await page.goto("/destinations");
    await expect(
      page.getByRole("region", { name: `Destination ${name}` }).getByRole("link", { name: "heap · Order Completed" }),
    ).toBeVisible();
  } finally {
    await growth.patch(`/api/mappings/${mapping.id}`, { data: { destinations: { [id]: false } } });
    await admin.patch(`/api/destinations/${id}`, { data: { enabled: false } });
  }
});

test("[admin] moving a webhook asks for its secret again at the field; the secret shows only as set", async ({
  browser,
  baseURL,
}) => {
  const name = `Moved webhook ${tag}`;
  const { page, form } = await editWebhookAs(browser, baseURL, "admin", name);
  const secret = form.getByLabel("Signing secret (required)");
  await expect(secret).toHaveValue("");
  await expect(secret).toHaveAttribute("placeholder", /set — type a new value to replace it/);
  await expect(form.getByLabel("Receiver URL (required)")).toHaveValue(receiver.url);

  await form.getByLabel("Receiver URL (required)").fill(other.url);
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByRole("alert").filter({ hasText: /re-enter signing_secret/ })).toBeVisible();
  await secret.fill("the-second-signing-secret");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByText("Saved.")).toBeVisible();
  await page.reload();
  await page
    .getByRole("region", { name: `Destination ${name}` })
    .getByText(`Edit ${name}`)
    .click();
  await expect(page.getByRole("form", { name: `Edit ${name}` }).getByLabel("Receiver URL (required)")).toHaveValue(
    other.url,
  );
});

test("[engineer] may edit a webhook's settings but not where it sends: the refusal shows at the URL field", async ({
  browser,
  baseURL,
}) => {
  const name = `Engineer webhook ${tag}`;
  const { form } = await editWebhookAs(browser, baseURL, "engineer", name);
  await form.getByText("Advanced settings").click();
  await form.getByLabel("Events per request").fill("50");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByText("Saved.")).toBeVisible();

  await form.getByLabel("Receiver URL (required)").fill(other.url);
  await form.getByLabel("Signing secret (required)").fill("another-engineer-secret");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByRole("alert").filter({ hasText: "only admins may change this URL" })).toBeVisible();
  const stored = (
    (await (await (await apiAs("admin", baseURL)).get("/api/destinations")).json()).rows as {
      name: string;
      config: object;
    }[]
  ).find((d) => d.name === name);
  expect(stored?.config).toEqual({ url: receiver.url, max_batch: 50 });
});
