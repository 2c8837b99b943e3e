import type { Metadata } from "next";
import { TableScroll } from "@/components/ui/card";
import { EmptyState, StatusBadge } from "@/components/ui/form-bits";
import { ListTable } from "@/components/ui/list-table";
import { requirePageActor } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";
import { listDeletions } from "@/lib/privacy/deletions";
import { listSuppressions } from "@/lib/privacy/suppressions";
import { FileDeletionForm, LiftSuppressionButton, RefreshWhileRunning, SuppressForm } from "./privacy-forms";
import { ReceiptView } from "./receipt-view";

export const metadata: Metadata = { title: "Privacy" };

const when = (iso: string | null) => (iso ? iso.replace("T", " ").slice(0, 16) : "—");

export default async function PrivacyPage() {
  const actor = await requirePageActor();
  if (!can(actor.role, "privacy.manage"))
    return (
      <>
        <h1>Privacy</h1>
        <p className="muted">Only admins erase people and manage suppressions.</p>
      </>
    );
  const [{ deletions }, { suppressions }] = await Promise.all([listDeletions(actor), listSuppressions(actor)]);
  const running = deletions.some((d) => d.status === "pending" || d.status === "running");
  return (
    <>
      <h1>Privacy</h1>
      <RefreshWhileRunning active={running} />
      <p className="muted">
        Erasing a person suppresses them first, removes them from every synced audience, calls HubSpot&apos;s and
        Heap&apos;s deletion APIs, then erases their profile and scrubs their events. Only a keyed hash of the
        identifier and the receipt are kept.
      </p>
      <div className="panel">
        <h2 style={{ marginTop: 0 }}>Erase a person</h2>
        <FileDeletionForm />
      </div>
      <h2>Deletion requests</h2>
      {deletions.length === 0 ? (
        <EmptyState>No deletion requests yet.</EmptyState>
      ) : (
        <TableScroll>
          <table aria-label="Deletion requests">
            <thead>
              <tr>
                <th>Person</th>
                <th>Status</th>
                <th>Filed</th>
                <th>By</th>
                <th>Receipt</th>
              </tr>
            </thead>
            <tbody>
              {deletions.map((d) => (
                <tr key={d.id}>
                  <td>
                    <code>{d.label}</code>
                  </td>
                  <td>
                    <StatusBadge status={d.status} />
                    {d.status === "running" || d.status === "pending" ? (
                      <span className="muted"> at {d.step.replaceAll("_", " ")}</span>
                    ) : null}
                    {d.last_error ? <div className="muted">{d.last_error}</div> : null}
                  </td>
                  <td>{when(d.created_at)}</td>
                  <td>{d.requested_by}</td>
                  <td>
                    <details>
                      <summary>Receipt of {d.label}</summary>
                      <ReceiptView receipt={d.receipt} />
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <div className="panel">
        <h2 style={{ marginTop: 0 }}>Suppress an identifier</h2>
        <SuppressForm />
      </div>
      <h2>Suppressions</h2>
      {suppressions.length === 0 ? (
        <EmptyState>No suppressed identifiers.</EmptyState>
      ) : (
        <ListTable label="Suppressions" columns={["Identifier", "Reason", "By", "Since"]} actions>
          {suppressions.map((s) => (
            <tr key={s.id}>
              <td>
                <code>{s.label}</code>
              </td>
              <td>{s.reason || "—"}</td>
              <td>{s.created_by}</td>
              <td>{when(s.created_at)}</td>
              <td>
                <LiftSuppressionButton id={s.id} label={s.label} />
              </td>
            </tr>
          ))}
        </ListTable>
      )}
    </>
  );
}
