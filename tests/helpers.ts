// Test fixtures: the configured database (in-memory PGlite unless DATABASE_URL names one),
// migrated once, and isolated workspaces seeded like the demo with one member per role.
import { randomUUID } from "node:crypto";
import type { Actor } from "@/lib/auth/actor";
import { ROLES } from "@/lib/auth/permissions";
import { database, db } from "@/lib/db";
import { migrate } from "@/lib/db/migrate";
import type { Role } from "@/lib/generated/prisma/enums";
import { seedDemo } from "@/lib/workspace/seed-demo";

process.env.DATABASE_URL ||= ":memory:";
// One key for every test process: they share PostgreSQL, and a worker may meet another file's destinations.
process.env.TRACKLAYER_ENCRYPTION_KEY ||= Buffer.alloc(32, 7).toString("base64");
// The platform mocks listen on 127.0.0.1: let the guarded fetch reach them (lib/delivery/outbound.ts).
process.env.TRACKLAYER_ALLOW_PRIVATE_NETWORK ||= "true";

let migrated: Promise<unknown> | undefined;

export async function ready() {
  migrated ??= migrate(database());
  await migrated;
  return db();
}

export type TestWorkspace = Awaited<ReturnType<typeof createTestWorkspace>>;

/** A fresh demo-like workspace with one member per role (plus a second growth member). */
export async function createTestWorkspace() {
  const prisma = await ready();
  const tag = randomUUID().slice(0, 8);
  await seedDemo(prisma, {
    slug: `t-${tag}`,
    name: `Test ${tag}`,
    email: `admin-${tag}@test.local`,
    password: "password-123",
  });
  const workspace = await prisma.workspace.findUniqueOrThrow({ where: { slug: `t-${tag}` } });
  const actors = {} as Record<Role | "growth2", Actor>;
  for (const role of [...ROLES, "growth2"] as const) {
    const email = `${role}-${tag}@test.local`;
    const user =
      role === "admin"
        ? await prisma.user.findUniqueOrThrow({ where: { email: `admin-${tag}@test.local` } })
        : await prisma.user.create({ data: { email } });
    const realRole: Role = role === "growth2" ? "growth" : role;
    if (role !== "admin")
      await prisma.membership.create({ data: { userId: user.id, workspaceId: workspace.id, role: realRole } });
    actors[role] = {
      userId: user.id,
      email: user.email,
      label: user.email,
      workspaceId: workspace.id,
      role: realRole,
      via: "session",
    };
  }
  return { workspace, actors, tag };
}

/** Asserts that a promise rejects with an AppError of the given code; returns the error. */
export async function rejectsWith(promise: Promise<unknown>, code: string) {
  try {
    await promise;
  } catch (error) {
    const actual = (error as { code?: string }).code;
    if (actual !== code) throw new Error(`expected error code ${code}, got ${actual ?? String(error)}`);
    return error as { code: string; message: string; issues?: { path: string; message: string }[] };
  }
  throw new Error(`expected error code ${code}, but it resolved`);
}
