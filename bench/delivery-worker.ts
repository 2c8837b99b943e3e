// One bench:delivery worker process: the engine's worker loop (as `npm run worker` runs it,
// scripts/worker.ts) with the benchmark's batch size and idle poll, in a process of its own so two
// of them use two cores as two deployed workers would. Prints "ready" once started; on SIGTERM it
// stops (gives back what it claimed ahead, waits for its records) and prints its step timings as
// one JSON line: { "claim": { "n": …, "ms": … }, "send": …, "record": … }.
import { closeDatabase } from "@/lib/db";
import { defaultWorkerOptions } from "@/lib/worker/options";
import { startWorker } from "@/lib/worker/start-worker";

const steps: Record<string, { n: number; ms: number }> = {};
const worker = startWorker(
  defaultWorkerOptions({
    batchSize: 500,
    idleMs: 50,
    timing: (step, ms) => {
      const s = steps[step] ?? { n: 0, ms: 0 };
      steps[step] = { n: s.n + 1, ms: s.ms + ms };
    },
  }),
);
console.log("ready");
process.once("SIGTERM", async () => {
  await worker.stop();
  console.log(JSON.stringify(steps));
  await closeDatabase().catch(() => undefined);
  process.exit(0);
});
