import type { Metadata } from "next";
import { TableScroll } from "@/components/ui/card";
import { EmptyState, StatusBadge } from "@/components/ui/form-bits";
import { requirePageActor } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";
import { MATCH_QUALITY_WEIGHTS } from "@/lib/traits/builtins";
import { listComputedTraits } from "@/lib/traits/definitions";
import { ComputedTraitEditor, DeleteComputedTrait } from "./computed-trait-forms";

export const metadata: Metadata = { title: "Computed traits" };

export default async function ComputedTraitsPage() {
  const actor = await requirePageActor();
  const { rows } = await listComputedTraits(actor);
  const manage = can(actor.role, "computedTrait.manage");
  return (
    <>
      <h1>Computed traits</h1>
      <p className="muted">
        Per-profile states TrackLayer computes and syncs to Heap as user properties (changed values only): the built-in{" "}
        <code>match_quality</code>, <code>destination_eligibility</code> and <code>last_conversion</code>, plus the
        rules below. A profile is recomputed when its data changes, when a counted event leaves its window, and when a
        rule changes.
      </p>
      {manage ? (
        <details className="panel">
          <summary>New computed trait</summary>
          <ComputedTraitEditor />
        </details>
      ) : null}
      {rows.length === 0 ? <EmptyState>No workspace rules yet.</EmptyState> : null}
      {rows.length ? (
        <TableScroll>
          <table aria-label="Computed trait rules">
            <thead>
              <tr>
                <th>Key</th>
                <th>Name</th>
                <th>Rule</th>
                <th>Status</th>
                {manage ? <th>Change</th> : null}
              </tr>
            </thead>
            <tbody>
              {rows.map((t) => (
                <tr key={t.id}>
                  <td>
                    <code>{t.key}</code>
                  </td>
                  <td>{t.name}</td>
                  <td>
                    <code>{t.rule}</code>
                  </td>
                  <td>
                    <StatusBadge status={t.enabled ? "enabled" : "disabled"} />
                  </td>
                  {manage ? (
                    <td>
                      <details>
                        <summary>Edit</summary>
                        <ComputedTraitEditor trait={t} />
                        <DeleteComputedTrait id={t.id} traitKey={t.key} />
                      </details>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      ) : null}
      <h2>Rule language</h2>
      <ul className="muted">
        <li>
          Event counts: <code>purchases_30d</code> (shorthand) or <code>count(purchase, 12h)</code>: accepted canonical
          events of the person in the last 1h–365d.
        </li>
        <li>
          Profile traits: <code>plan</code>, <code>traits.address.country</code>; the score: <code>match_quality</code>.
        </li>
        <li>
          Compare with <code>== != &gt; &gt;= &lt; &lt;=</code>, combine with <code>and or not</code> and parentheses;
          strings in quotes, numbers, <code>true false null</code>.
        </li>
      </ul>
      <h2>match_quality weights</h2>
      <TableScroll>
        <table aria-label="match_quality weights">
          <thead>
            <tr>
              <th>Identifier held</th>
              <th>Points</th>
            </tr>
          </thead>
          <tbody>
            {MATCH_QUALITY_WEIGHTS.map((w) => (
              <tr key={w.signal}>
                <td>{w.signal}</td>
                <td>{w.weight}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </>
  );
}
