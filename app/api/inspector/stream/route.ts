// GET /api/inspector/stream — server-sent events: the latest matching events on connect, then each
// newly stored event within a second (event: rows). Session or bearer token; workspace.read.
import { errorResponse } from "@/lib/api/route";
import { assertCan } from "@/lib/auth/actor";
import { requireApiActor } from "@/lib/auth/context";
import { parseInput } from "@/lib/errors";
import { loadEventLookups } from "@/lib/events/serialize";
import { subscribe } from "@/lib/inspector/live-feed";
import { type LiveRow, recentLiveRows } from "@/lib/inspector/live-rows";
import { inspectorFilterSchema } from "@/lib/validations/inspector";

export const dynamic = "force-dynamic";

const HEARTBEAT_MS = 15_000;

/** Who is watching which workspace, and with which filter (throws AppErrors). */
async function openFeed(request: Request) {
  const actor = await requireApiActor();
  assertCan(actor, "workspace.read");
  const filter = parseInput(inspectorFilterSchema, Object.fromEntries(new URL(request.url).searchParams), "query");
  return { workspaceId: actor.workspaceId, filter };
}

export async function GET(request: Request) {
  let feed: Awaited<ReturnType<typeof openFeed>>;
  try {
    feed = await openFeed(request);
  } catch (error) {
    return errorResponse(error);
  }
  const { workspaceId, filter } = feed;
  const encoder = new TextEncoder();
  let close = () => {};
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const write = (chunk: string) => {
        try {
          controller.enqueue(encoder.encode(chunk));
        } catch {
          close();
        }
      };
      const sendRows = (rows: LiveRow[], skipped: number) =>
        write(`event: rows\ndata: ${JSON.stringify({ rows, skipped })}\n\n`);
      const unsubscribe = subscribe(workspaceId, { filter, send: sendRows });
      const heartbeat = setInterval(() => write(`: ping\n\n`), HEARTBEAT_MS);
      close = () => {
        clearInterval(heartbeat);
        unsubscribe();
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      request.signal.addEventListener("abort", () => close());
      write(`retry: 2000\n\n`);
      sendRows(await recentLiveRows(workspaceId, filter, await loadEventLookups(workspaceId)), 0);
    },
    cancel() {
      close();
    },
  });
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
}
