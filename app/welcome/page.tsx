import { redirect } from "next/navigation";
import { CreateWorkspaceForm } from "@/components/create-workspace-form";
import { getSessionUserId, listMemberships } from "@/lib/auth/context";

export default async function WelcomePage() {
  const userId = await getSessionUserId();
  if (!userId) redirect("/signin");
  if ((await listMemberships(userId)).length > 0) redirect("/mappings");
  return (
    <main className="center">
      <div className="panel" style={{ width: "min(460px, calc(100vw - 2rem))" }}>
        <h1>You are not in a workspace yet</h1>
        <p className="muted">Ask an admin to add you, or start a workspace of your own.</p>
        <CreateWorkspaceForm />
      </div>
    </main>
  );
}
