import type { Metadata } from "next";
import { Badge } from "@/components/ui/badge";
import { ListTable } from "@/components/ui/list-table";
import { requirePageActor } from "@/lib/auth/page";
import { listTokens } from "@/lib/workspace/tokens";
import { NewTokenForm, RevokeTokenButton } from "./token-forms";

export const metadata: Metadata = { title: "Personal access tokens" };

export default async function TokensPage() {
  const actor = await requirePageActor();
  const { rows } = await listTokens(actor);
  return (
    <>
      <h1>Personal access tokens</h1>
      <p className="muted">
        Tokens authenticate scripts and CI against the management API (<code>Authorization: Bearer …</code>) with your
        role ({actor.role}) in this workspace. See <a href="/api/openapi.json">the OpenAPI document</a>.
      </p>
      <details className="panel" open={rows.length === 0}>
        <summary>New token</summary>
        <NewTokenForm />
      </details>
      <ListTable label="Tokens" columns={["Name", "Token", "Last used", "Expires", "Status"]} actions>
        {rows.map((t) => (
          <tr key={t.id}>
            <td>{t.name}</td>
            <td>
              <code>{t.prefix}…</code>
            </td>
            <td>{t.last_used_at ? new Date(t.last_used_at).toLocaleString() : "never"}</td>
            <td>{t.expires_at ? new Date(t.expires_at).toLocaleDateString() : "never"}</td>
            <td>{t.revoked_at ? <Badge status="rejected">revoked</Badge> : <Badge status="approved">active</Badge>}</td>
            <td>{t.revoked_at ? null : <RevokeTokenButton id={t.id} />}</td>
          </tr>
        ))}
        {rows.length === 0 ? (
          <tr>
            <td colSpan={6} className="empty">
              You have no tokens in this workspace.
            </td>
          </tr>
        ) : null}
      </ListTable>
    </>
  );
}
