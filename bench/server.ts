// Starts TrackLayer for a benchmark exactly as `npm start` does, on its own port and
// database, and hands back the demo write key it printed.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CREDENTIALS_FILE } from "@/lib/runtime/first-run";

export interface RunningServer {
  url: string;
  writeKey: string;
  stop(): Promise<void>;
}

/** Ends the server's whole process group: tsx, start.ts, next-server and a build under way. */
function killGroup(pid: number) {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // already gone
  }
}

export async function startServer(
  port: number,
  databaseUrl?: string,
  knownWriteKey?: string,
  /** How long a first build may take (a busy 2-core machine: many minutes). */
  startTimeoutMs = 300_000,
): Promise<RunningServer> {
  if (
    await fetch(`http://127.0.0.1:${port}/api/health`).then(
      () => true,
      () => false,
    )
  ) {
    throw new Error(`port ${port} is already serving something; stop it or pass --port=<free port>`);
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "tracklayer-bench-"));
  const child = spawn(path.join("node_modules", ".bin", "tsx"), ["scripts/start.ts"], {
    env: {
      ...process.env,
      PORT: String(port),
      TRACKLAYER_DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl ?? "",
      NEXTAUTH_URL: `http://localhost:${port}`,
    },
    stdio: ["ignore", "pipe", "inherit"],
    detached: true, // its own process group: stop() ends tsx, start.ts and next-server together
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    const ok = await fetch(`${url}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      killGroup(child.pid!);
      throw new Error(`server did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  // Not a terminal: the first run writes the demo keys to the credentials file, not the log. A
  // restart on an existing database writes neither (they were given once): the caller passes it.
  const credentials = path.join(dataDir, CREDENTIALS_FILE);
  const given = existsSync(credentials) ? readFileSync(credentials, "utf8") : output;
  const writeKey = /Heap forwarder\s+(tl_wk_\S+)/.exec(given)?.[1] ?? knownWriteKey;
  if (!writeKey) {
    killGroup(child.pid!);
    throw new Error(`no write key printed:\n${output}`);
  }
  return {
    url,
    writeKey,
    stop: async () => {
      const group = -child.pid!;
      const signal = (s: NodeJS.Signals) => {
        try {
          process.kill(group, s);
        } catch {
          // already gone
        }
      };
      signal("SIGTERM");
      const deadline = Date.now() + 15_000;
      while (
        Date.now() < deadline &&
        (await fetch(`${url}/api/health`).then(
          () => true,
          () => false,
        ))
      ) {
        await new Promise((r) => setTimeout(r, 200));
      }
      signal("SIGKILL");
    },
  };
}
