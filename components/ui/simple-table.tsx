// A plain labelled table for short server-rendered lists (the TanStack DataTable is for sortable,
// paged ones): one header row whose empty columns are named for screen readers, and a scrolling
// wrapper so a wide table never widens the page.
import type { ReactNode } from "react";

export function SimpleTable({
  label,
  columns,
  children,
}: {
  label: string;
  /** Column headers; "" for a column of row actions (named "Actions" for screen readers). */
  columns: string[];
  children: ReactNode;
}) {
  return (
    <div className="table-scroll">
      <table aria-label={label}>
        <thead>
          <tr>
            {columns.map((column, i) => (
              <th key={column || `actions-${i}`} scope="col">
                {column || <span className="visually-hidden">Actions</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
