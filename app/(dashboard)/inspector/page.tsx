import type { Metadata } from "next";
import { LiveInspector } from "@/components/inspector/live-inspector";
import { requirePageActor } from "@/lib/auth/page";
import { inspectorFilterSchema } from "@/lib/validations/inspector";
import { canonicalEventChoices, sourceChoices } from "@/lib/workspace/choices";

export const metadata: Metadata = { title: "Live inspector" };

export default async function InspectorPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const actor = await requirePageActor();
  const parsed = inspectorFilterSchema.safeParse(await searchParams);
  const [sources, canonicalEvents] = await Promise.all([sourceChoices(actor), canonicalEventChoices(actor)]);
  return (
    <>
      <h1>Live inspector</h1>
      <p className="muted">
        Events appear as they arrive. Open one to follow it end to end — mapping, identity, dedup and every destination
        — with the four checks.
        {parsed.success ? null : " Some filters in the address were invalid and were ignored."}
      </p>
      <LiveInspector
        filter={parsed.success ? parsed.data : {}}
        sources={sources.map((s) => s.key)}
        canonicalEvents={canonicalEvents.map((c) => c.name)}
      />
    </>
  );
}
