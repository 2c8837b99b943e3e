// Home for every role: the overview of what arrived and what reached each platform, with the
// first-run checklist on top until the workspace has sent and validated an event.
import type { Metadata } from "next";
import { OnboardingChecklist } from "@/components/onboarding/onboarding-checklist";
import { Overview } from "@/components/overview/overview";
import { listAlerts } from "@/lib/alerts/manage-alerts";
import { requirePageActor } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";
import { publicUrl } from "@/lib/env";
import { readOverview } from "@/lib/metrics/overview";
import { getOnboardingState } from "@/lib/onboarding/checklist";
import { overviewQuerySchema } from "@/lib/validations/metrics";

export const metadata: Metadata = { title: "Overview" };

export default async function Home({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const actor = await requirePageActor();
  const parsed = overviewQuerySchema.safeParse(await searchParams);
  const query = parsed.success ? parsed.data : overviewQuerySchema.parse({});
  const now = new Date();
  const [data, onboarding, alerts] = await Promise.all([
    readOverview(actor, query, now),
    getOnboardingState(actor),
    listAlerts(actor, { state: "firing" }, 10),
  ]);
  return (
    <Overview data={data} alerts={alerts.rows} canPromote={can(actor.role, "mapping.edit")} now={now}>
      {onboarding.done ? null : <OnboardingChecklist initial={onboarding} origin={publicUrl()} />}
    </Overview>
  );
}
