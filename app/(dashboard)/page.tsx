import type { Metadata } from "next";
import { Overview } from "@/components/overview/overview";
import { requirePageActor } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";
import { readOverview } from "@/lib/metrics/overview";
import { overviewQuerySchema } from "@/lib/validations/metrics";

export const metadata: Metadata = { title: "Overview" };

export default async function Home({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const actor = await requirePageActor();
  const parsed = overviewQuerySchema.safeParse(await searchParams);
  const query = parsed.success ? parsed.data : overviewQuerySchema.parse({});
  const now = new Date();
  const data = await readOverview(actor, query, now);
  return <Overview data={data} canPromote={can(actor.role, "mapping.edit")} now={now} />;
}
