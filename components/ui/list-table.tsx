// A plain list table in its scrolling card: a name for screen readers, column headings, and an
// unlabelled-looking (screen-reader-named) last column for row actions when `actions` is set.
import type { ReactNode } from "react";
import { TableScroll } from "@/components/ui/card";

export function ListTable({
  label,
  columns,
  actions = false,
  children,
}: {
  label: string;
  columns: string[];
  actions?: boolean;
  children: ReactNode;
}) {
  return (
    <TableScroll>
      <table aria-label={label}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c}>{c}</th>
            ))}
            {actions ? (
              <th>
                <span className="sr-only">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </TableScroll>
  );
}
