// Fixtures for the registry-as-code tests: an empty workspace beside a test workspace, personal
// access tokens, and an in-process HTTP server serving the registry routes the CLI calls.
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Actor } from "@/lib/auth/actor";
import { tokenActor } from "@/lib/auth/context";
import { generateSecret } from "@/lib/auth/secrets";
import { db } from "@/lib/db";
import { parseInput, toErrorBody } from "@/lib/errors";
import { applyRegistry } from "@/lib/registry/apply/apply";
import { exportRegistry } from "@/lib/registry/plan/export";
import { planRegistry } from "@/lib/registry/plan/plan";
import { registryApplySchema } from "@/lib/validations/registry-apply";
import { registryBundleSchema } from "@/lib/validations/registry-bundle";
import type { TestWorkspace } from "./helpers";

/** A workspace with no canonical events or mappings, the same sources and destinations, and ws's admin, growth, analyst and viewer. */
export async function emptyWorkspaceLike(from: TestWorkspace) {
  const prisma = db();
  const tag = randomUUID().slice(0, 8);
  const workspace = await prisma.workspace.create({ data: { slug: `empty-${tag}`, name: `Empty ${tag}` } });
  const sources = await prisma.source.findMany({ where: { workspaceId: from.workspace.id } });
  for (const s of sources)
    await prisma.source.create({ data: { workspaceId: workspace.id, key: s.key, name: s.name } });
  const destinations = await prisma.destination.findMany({ where: { workspaceId: from.workspace.id } });
  for (const d of destinations)
    await prisma.destination.create({
      data: { workspaceId: workspace.id, type: d.type, name: d.name, config: d.config as object },
    });
  const actors = {} as Record<"admin" | "growth" | "analyst" | "viewer", Actor>;
  for (const role of ["admin", "growth", "analyst", "viewer"] as const) {
    const actor = from.actors[role];
    await prisma.membership.create({ data: { userId: actor.userId, workspaceId: workspace.id, role } });
    actors[role] = { ...actor, workspaceId: workspace.id };
  }
  return { workspace, actors };
}

/** A personal access token of the actor's user in the actor's workspace. */
export async function tokenFor(actor: Actor): Promise<string> {
  const secret = generateSecret("pat");
  await db().personalAccessToken.create({
    data: {
      userId: actor.userId,
      workspaceId: actor.workspaceId,
      name: "cli test",
      prefix: secret.prefix,
      tokenHash: secret.hash,
    },
  });
  return secret.value;
}

async function readBody(req: import("node:http").IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8") || "null");
}

/**
 * The registry-as-code routes over HTTP, authenticated by personal access token like the app
 * (lib/auth/context.ts tokenActor), with the routes' validation and error bodies.
 */
export async function startRegistryServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer(async (req, res) => {
    let status = 200;
    let body: unknown;
    try {
      const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "");
      const actor = await tokenActor(match?.[1] ?? "");
      const route = `${req.method} ${req.url}`;
      if (route === "GET /api/registry/export") body = await exportRegistry(actor);
      else if (route === "POST /api/registry/plan")
        body = await planRegistry(actor, parseInput(registryBundleSchema, await readBody(req)));
      else if (route === "POST /api/registry/apply")
        body = await applyRegistry(actor, parseInput(registryApplySchema, await readBody(req)));
      else {
        status = 404;
        body = { error: { code: "not_found", message: "no such route" } };
      }
    } catch (error) {
      const answer = toErrorBody(error);
      status = answer.status;
      body = answer.body;
    }
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
