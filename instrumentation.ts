// Runs once per server process: open the database before the first request and close it
// cleanly on SIGINT/SIGTERM (an unclean PGlite exit forces WAL recovery on the next start).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { database, closeDatabase } = await import("@/lib/db");
  await database().raw.query("SELECT 1");
  const stop = async () => {
    await closeDatabase().catch((error: unknown) => console.error(error));
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
