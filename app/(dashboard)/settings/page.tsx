import type { Metadata } from "next";
import { CreateWorkspaceForm } from "@/components/create-workspace-form";
import { requirePageActor } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";
import { getWorkspace } from "@/lib/workspace/workspaces";
import { RetentionForm } from "./retention-form";
import { ValidationPolicyForm } from "./validation-policy-form";
import { WorkspaceSettingsForm } from "./workspace-settings-form";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const actor = await requirePageActor();
  const workspace = await getWorkspace(actor);
  return (
    <>
      <h1>Settings</h1>
      <section className="panel">
        <h2 style={{ marginTop: 0 }}>{workspace.name}</h2>
        <p className="muted">
          Slug <code>{workspace.slug}</code> · your role: {workspace.role}
        </p>
        <WorkspaceSettingsForm workspace={workspace} editable={can(actor.role, "workspace.settings")} />
      </section>
      <section className="panel">
        <h2 style={{ marginTop: 0 }}>Mapping approval</h2>
        <ValidationPolicyForm
          required={workspace.require_validation}
          thresholdPct={workspace.approval_rejection_threshold_pct}
          editable={can(actor.role, "validation.policy")}
        />
      </section>
      <section className="panel">
        <h2 style={{ marginTop: 0 }}>Retention</h2>
        <p className="muted">
          Events are dropped a month at a time once older than the longest retention of any workspace; shorter ones and
          everything else expire in small batches every minute. Nothing is kept longer than its events.
        </p>
        <RetentionForm retention={workspace.retention} editable={can(actor.role, "workspace.settings")} />
      </section>
      <section className="panel">
        <h2 style={{ marginTop: 0 }}>Start another workspace</h2>
        <CreateWorkspaceForm />
      </section>
    </>
  );
}
