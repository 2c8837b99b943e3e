// GET /api/onboarding — the workspace's first-run checklist (five steps, each done or not), polled by the home page.
import { apiRoute } from "@/lib/api/route";
import { getOnboardingState } from "@/lib/onboarding/checklist";

export const GET = apiRoute({ permission: "workspace.read" }, ({ actor }) => getOnboardingState(actor));
