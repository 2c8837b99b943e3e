// The demo workspace a fresh install starts with: the brief's seven canonical events, the
// heap and backend sources with write keys, and the brief's example mappings. Idempotent.
import { randomBytes } from "node:crypto";
import { hashPassword } from "@/lib/auth/password";
import { generateSecret } from "@/lib/auth/secrets";
import type { AppPrisma } from "@/lib/db";
import type { MappingStatus, RevisionStatus } from "@/lib/generated/prisma/enums";
import type { PropertyDefinition } from "@/lib/validations/canonical-events";

const p = (
  name: string,
  type: PropertyDefinition["type"],
  required: boolean,
  description: string,
): PropertyDefinition => ({
  name,
  type,
  required,
  description,
});

export const DEMO_CANONICAL_EVENTS: { name: string; description: string; properties: PropertyDefinition[] }[] = [
  {
    name: "sign_up",
    description: "Registration milestone for CAPI and CRM routing",
    properties: [
      p("method", "string", false, "How the person signed up (email, google, ...)"),
      p("plan", "string", false, "Plan chosen at sign-up"),
    ],
  },
  {
    name: "begin_checkout",
    description: "Checkout started; ad optimisation and funnel parity",
    properties: [
      p("checkout_id", "string", true, "Checkout / cart identifier"),
      p("value", "number", true, "Cart value"),
      p("currency", "string", true, "ISO 4217 currency code"),
      p("items", "array", false, "Line items"),
    ],
  },
  {
    name: "add_payment_info",
    description: "Optional high-intent milestone when quality is strong",
    properties: [
      p("checkout_id", "string", true, "Checkout identifier"),
      p("payment_type", "string", false, "card, paypal, ..."),
    ],
  },
  {
    name: "add_to_cart",
    description: "Sent downstream when product, quantity and value are known",
    properties: [
      p("product_id", "string", true, "Product identifier"),
      p("quantity", "number", true, "Units added"),
      p("value", "number", true, "Value of the units added"),
      p("currency", "string", false, "ISO 4217 currency code"),
    ],
  },
  {
    name: "purchase",
    description: "Primary revenue event with value, currency and order ID",
    properties: [
      p("order_id", "string", true, "Order identifier, also the business dedup key"),
      p("value", "number", true, "Order value"),
      p("currency", "string", true, "ISO 4217 currency code"),
      p("items", "array", false, "Line items"),
      p("coupon", "string", false, "Coupon code"),
    ],
  },
  {
    name: "qualify_lead",
    description: "B2B routing once qualification rules pass",
    properties: [
      p("lead_id", "string", true, "CRM lead identifier"),
      p("pipeline_stage", "string", true, "Stage the lead qualified into"),
      p("value", "number", false, "Expected deal value"),
      p("currency", "string", false, "ISO 4217 currency code"),
    ],
  },
  {
    name: "start_trial",
    description: "Trial started",
    properties: [
      p("plan", "string", true, "Trial plan"),
      p("value", "number", false, "Predicted value"),
      p("currency", "string", false, "ISO 4217 currency code"),
    ],
  },
];

type SeedMapping = [source: string, sourceEvent: string, canonical: string, status: MappingStatus];

export const DEMO_MAPPINGS: SeedMapping[] = [
  ["heap", "Order Completed", "purchase", "approved"],
  ["heap", "Form Submitted: Signup", "sign_up", "approved"],
  ["heap", "Checkout Started", "begin_checkout", "approved"],
  ["heap", "Payment Info Completed", "add_payment_info", "in_review"],
  ["heap", "Button Clicked: Add to cart", "add_to_cart", "approved"],
  ["heap", "Lead Form Qualified in UI", "qualify_lead", "approved"],
  ["heap", "purchase", "purchase", "approved"],
  ["heap", "qualify_lead", "qualify_lead", "approved"],
  ["backend", "start_trial", "start_trial", "draft"],
];

export interface SeedResult {
  created: boolean;
  workspace: string;
  admin: { email: string; password: string | null };
  writeKeys: { name: string; source: string; key: string }[];
}

interface SeedOptions {
  email?: string;
  password?: string;
  slug?: string;
  name?: string;
}

export async function seedDemo(prisma: AppPrisma, options: SeedOptions = {}): Promise<SeedResult> {
  const email = (options.email ?? "admin@tracklayer.local").toLowerCase();
  const slug = options.slug ?? "demo";
  const name = options.name ?? "Demo workspace";
  const existing = await prisma.workspace.findUnique({ where: { slug } });
  if (existing) return { created: false, workspace: existing.name, admin: { email, password: null }, writeKeys: [] };

  const password = options.password ?? randomBytes(12).toString("base64url");
  const passwordHash = await hashPassword(password);
  const keys = { heap: generateSecret("wk"), backend: generateSecret("wk") };

  await prisma.$transaction(async (tx) => {
    const admin = await tx.user.upsert({
      where: { email },
      create: { email, name: "Demo admin", passwordHash },
      update: {},
    });
    const workspace = await tx.workspace.create({ data: { slug, name } });
    const ws = workspace.id;
    await tx.membership.create({ data: { userId: admin.id, workspaceId: ws, role: "admin" } });
    const heap = await tx.source.create({
      data: {
        workspaceId: ws,
        key: "heap",
        name: "Heap",
        description: "Heap autocapture and virtual events, promoted by the backend",
      },
    });
    const backend = await tx.source.create({
      data: {
        workspaceId: ws,
        key: "backend",
        name: "Backend",
        description: "Server-side events from the application backend",
      },
    });
    await tx.writeKey.create({
      data: {
        workspaceId: ws,
        name: "Heap forwarder",
        prefix: keys.heap.prefix,
        keyHash: keys.heap.hash,
        defaultSourceId: heap.id,
      },
    });
    await tx.writeKey.create({
      data: {
        workspaceId: ws,
        name: "Backend server",
        prefix: keys.backend.prefix,
        keyHash: keys.backend.hash,
        defaultSourceId: backend.id,
        allowedSourceIds: [heap.id],
      },
    });
    const canonical = new Map<string, string>();
    for (const event of DEMO_CANONICAL_EVENTS) {
      const row = await tx.canonicalEvent.create({ data: { workspaceId: ws, ...event } });
      canonical.set(event.name, row.id);
    }
    const meta = await tx.destination.create({
      data: { workspaceId: ws, type: "meta", name: "Meta Conversions API (demo)", enabled: false },
    });
    const google = await tx.destination.create({
      data: { workspaceId: ws, type: "google_ads", name: "Google Ads (demo)", enabled: false },
    });
    const sourceIds: Record<string, string> = { heap: heap.id, backend: backend.id };
    for (const [source, sourceEvent, canonicalName, status] of DEMO_MAPPINGS) {
      const event = DEMO_CANONICAL_EVENTS.find((e) => e.name === canonicalName)!;
      const mapping = await tx.mapping.create({
        data: { workspaceId: ws, sourceId: sourceIds[source]!, sourceEvent, liveKey: sourceEvent, status },
      });
      const approved = status === "approved";
      const revision = await tx.mappingRevision.create({
        data: {
          mappingId: mapping.id,
          number: 1,
          status: status as RevisionStatus,
          canonicalEventId: canonical.get(canonicalName)!,
          requiredProperties: event.properties.filter((x) => x.required).map((x) => x.name),
          note: "Seeded from the Heap integration guide",
          createdById: admin.id,
          ...(status !== "draft" ? { submittedById: admin.id, submittedAt: new Date() } : {}),
          ...(approved ? { reviewedById: admin.id, reviewedAt: new Date(), reviewComment: "Seeded as approved" } : {}),
        },
      });
      await tx.mapping.update({
        where: { id: mapping.id },
        data: { headRevisionId: revision.id, ...(approved ? { liveRevisionId: revision.id } : {}) },
      });
      if (canonicalName === "purchase" || canonicalName === "qualify_lead") {
        await tx.mappingDestination.createMany({
          data: [meta, google].map((d) => ({ mappingId: mapping.id, destinationId: d.id, enabled: true })),
        });
      }
    }
    await tx.auditLog.create({
      data: {
        workspaceId: ws,
        actorId: admin.id,
        actorLabel: "system (seed)",
        action: "workspace.seed",
        entityType: "workspace",
        entityId: ws,
        summary: "seeded the demo workspace",
      },
    });
  });
  return {
    created: true,
    workspace: name,
    admin: { email, password: options.password ? null : password },
    writeKeys: [
      { name: "Heap forwarder", source: "heap", key: keys.heap.value },
      { name: "Backend server", source: "backend (may also send for heap)", key: keys.backend.value },
    ],
  };
}
