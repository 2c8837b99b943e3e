import type { Metadata } from "next";
import { Badge } from "@/components/ui/badge";
import { TableScroll } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/form-bits";
import { requirePageActor } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";
import { publicUrl } from "@/lib/env";
import { listSources } from "@/lib/registry/sources";
import { KeySnippets } from "./key-snippets";
import { NewSourceForm, NewWriteKeyForm, RevokeKeyButton } from "./source-forms";

export const metadata: Metadata = { title: "Sources & write keys" };

export default async function SourcesPage() {
  const actor = await requirePageActor();
  const { rows } = await listSources(actor);
  const manageSources = can(actor.role, "source.manage");
  const manageKeys = can(actor.role, "writeKey.manage");
  return (
    <>
      <h1>Sources & write keys</h1>
      <p className="muted">
        A write key authenticates <code>/api/capture</code> and decides the workspace; its source picks the mappings
        that apply. Keys are stored hashed: copy a new key when it is shown.
      </p>
      {manageSources ? (
        <details className="panel">
          <summary>New source</summary>
          <NewSourceForm />
        </details>
      ) : null}
      {rows.length === 0 ? <EmptyState>No sources yet.</EmptyState> : null}
      {rows.map((s) => (
        <section key={s.id} className="panel" aria-label={`Source ${s.key}`}>
          <div className="spread">
            <h2 style={{ margin: 0 }}>
              {s.name} <code>{s.key}</code>
            </h2>
            <span className="muted">{s.mapping_count} mapping(s)</span>
          </div>
          <p className="muted">{s.description}</p>
          <TableScroll>
            <table aria-label={`Write keys of ${s.key}`}>
              <thead>
                <tr>
                  <th>Key</th>
                  <th>Name</th>
                  <th>May also send for</th>
                  <th>Last used</th>
                  <th>Status</th>
                  <th>
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {s.write_keys.map((k) => (
                  <tr key={k.id}>
                    <td>
                      <code>{k.prefix}…</code>
                    </td>
                    <td>
                      {k.name}{" "}
                      {k.test ? <Badge title="Validates mappings: test-mode destinations only">test</Badge> : null}
                    </td>
                    <td>{k.allowed_sources.join(", ") || "—"}</td>
                    <td>{k.last_used_at ? new Date(k.last_used_at).toLocaleString() : "never"}</td>
                    <td>
                      {k.revoked_at ? (
                        <Badge status="rejected">revoked</Badge>
                      ) : (
                        <Badge status="approved">active</Badge>
                      )}
                    </td>
                    <td>
                      {(manageKeys || (k.test && k.created_by_me)) && !k.revoked_at ? (
                        <RevokeKeyButton sourceId={s.id} keyId={k.id} prefix={k.prefix} />
                      ) : null}
                    </td>
                  </tr>
                ))}
                {s.write_keys.length === 0 ? (
                  <tr>
                    <td colSpan={6} className="muted">
                      No write keys.
                    </td>
                  </tr>
                ) : null}
              </tbody>
            </table>
          </TableScroll>
          {s.write_keys
            .filter((k) => !k.revoked_at)
            .map((k) => (
              <details key={k.id} style={{ marginTop: ".6rem" }}>
                <summary>Send with {k.prefix}… (curl, Segment, RudderStack)</summary>
                <KeySnippets origin={publicUrl()} keyRef={{ key: null, prefix: k.prefix, source: s.key }} />
              </details>
            ))}
          {manageKeys ? (
            <details style={{ marginTop: ".6rem" }}>
              <summary>New write key for {s.key}</summary>
              <NewWriteKeyForm
                sourceId={s.id}
                sourceKey={s.key}
                origin={publicUrl()}
                otherSources={rows.filter((o) => o.id !== s.id).map((o) => o.key)}
              />
            </details>
          ) : null}
        </section>
      ))}
    </>
  );
}
