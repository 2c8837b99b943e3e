// A pid lock on the embedded database directory: PGlite has no inter-process locking, and a
// second opener corrupts it. A live owner makes the next opener fail fast with a clear message.
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function lockFile(dir: string) {
  return path.join(dir, "server.pid");
}

export function assertUnlocked(dir: string): void {
  const file = lockFile(dir);
  if (!existsSync(file)) return;
  const pid = Number(readFileSync(file, "utf8").trim());
  if (pid && pid !== process.pid && alive(pid)) {
    throw new Error(
      `Another TrackLayer process (pid ${pid}) is using ${dir}. Stop it first, or set TRACKLAYER_DATA_DIR.`,
    );
  }
}

export function writeLock(dir: string, pid: number): void {
  writeFileSync(lockFile(dir), String(pid));
}

export function releaseLock(dir: string): void {
  rmSync(lockFile(dir), { force: true });
}
