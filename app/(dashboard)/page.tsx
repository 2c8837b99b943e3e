// Home: the first-run checklist until the workspace has sent and validated an event, then the mappings.
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { OnboardingChecklist } from "@/components/onboarding/onboarding-checklist";
import { requirePageActor } from "@/lib/auth/page";
import { publicUrl } from "@/lib/env";
import { getOnboardingState } from "@/lib/onboarding/checklist";

export const metadata: Metadata = { title: "Home" };

export default async function Home() {
  const actor = await requirePageActor();
  const onboarding = await getOnboardingState(actor);
  if (onboarding.done) redirect("/mappings");
  return (
    <>
      <h1>Home</h1>
      <OnboardingChecklist initial={onboarding} origin={publicUrl()} />
    </>
  );
}
