// Runs once per server process: open the database before the first request and close it
// cleanly on SIGINT/SIGTERM (an unclean PGlite exit forces WAL recovery on the next start).
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") await import("@/lib/runtime/server-lifecycle");
}
