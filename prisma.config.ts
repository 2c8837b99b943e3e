// Prisma CLI configuration. The CLI is used only to generate the client and to write new
// migrations (`npm run db:new-migration`); migrations are applied by the app itself
// (lib/db/migrate.ts), so the CLI never opens the real data. Its schema engine runs as
// WebAssembly against a throw-away in-memory PGlite, which keeps every command offline.
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { defineConfig } from "prisma/config";

let factory: PrismaPGlite | undefined;

function inMemoryFactory(): PrismaPGlite {
  if (factory) return factory; // the CLI asks twice per command: one database per process
  const pglite = new PGlite();
  process.once("beforeExit", () => void pglite.close());
  const base = new PrismaPGlite(pglite);
  // Shadow databases replay whole migration files; run multi-statement SQL through exec().
  const connectToShadowDb = async () => {
    const shadow = new PGlite();
    const adapter = await new PrismaPGlite(shadow).connect();
    const executeRaw = adapter.executeRaw.bind(adapter);
    adapter.executeRaw = async (query) => {
      if (query.args.length === 0) {
        await shadow.exec(query.sql);
        return 0;
      }
      return executeRaw(query);
    };
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await dispose();
      await shadow.close();
    };
    return adapter;
  };
  factory = Object.assign(base, { connectToShadowDb });
  return factory;
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  adapter: async () => inMemoryFactory(),
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
});
