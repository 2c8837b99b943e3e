"use client";
// The generic server-side table: TanStack Table v9 renders rows and row selection; sorting
// and paging are the server's (URL parameters), so every view is linkable.
import { type ColumnDef, type RowData, rowSelectionFeature, tableFeatures, useTable } from "@tanstack/react-table";
import { TableScroll } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/form-bits";
import { useUrlState } from "@/components/url-state";

export const selectableFeatures = tableFeatures({ rowSelectionFeature });
export type SelectableFeatures = typeof selectableFeatures;

export interface SortState {
  sort: string;
  order: "asc" | "desc";
}

interface Props<T extends RowData & { id: string }> {
  // biome-ignore lint/suspicious/noExplicitAny: columns hold values of different types (TanStack's own idiom).
  columns: ColumnDef<SelectableFeatures, T, any>[];
  rows: T[];
  sortable?: Record<string, string>; // column id → server sort key
  sortState?: SortState;
  empty: React.ReactNode;
  selectable?: boolean;
  toolbar?: (selected: T[], clear: () => void) => React.ReactNode;
  label: string;
}

export function DataTable<T extends RowData & { id: string }>({
  columns,
  rows,
  sortable = {},
  sortState,
  empty,
  selectable,
  toolbar,
  label,
}: Props<T>) {
  const { update } = useUrlState();
  const table = useTable({
    features: selectableFeatures,
    columns,
    data: rows,
    getRowId: (row: T) => row.id,
    enableRowSelection: Boolean(selectable),
  });
  const selected = table.getSelectedRowModel().rows.map((r) => r.original);

  function toggleSort(key: string) {
    const order = sortState?.sort === key && sortState.order === "asc" ? "desc" : "asc";
    update({ sort: key, order });
  }

  return (
    <>
      {toolbar ? toolbar(selected, () => table.resetRowSelection()) : null}
      <TableScroll>
        <table aria-label={label}>
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {selectable ? (
                  <th>
                    <input
                      type="checkbox"
                      aria-label="Select all rows"
                      checked={table.getIsAllPageRowsSelected()}
                      onChange={() => table.toggleAllPageRowsSelected()}
                    />
                  </th>
                ) : null}
                {group.headers.map((header) => {
                  const key = sortable[header.column.id];
                  const arrow = key && sortState?.sort === key ? (sortState.order === "asc" ? " ▲" : " ▼") : "";
                  return (
                    <th
                      key={header.id}
                      aria-sort={arrow ? (sortState?.order === "asc" ? "ascending" : "descending") : undefined}
                    >
                      {key ? (
                        <button type="button" onClick={() => toggleSort(key)}>
                          <table.FlexRender header={header} />
                          {arrow}
                        </button>
                      ) : (
                        <table.FlexRender header={header} />
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={columns.length + (selectable ? 1 : 0)}>
                  <EmptyState>{empty}</EmptyState>
                </td>
              </tr>
            ) : (
              table.getRowModel().rows.map((row) => (
                <tr key={row.id}>
                  {selectable ? (
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`Select row ${row.id}`}
                        checked={row.getIsSelected()}
                        onChange={() => row.toggleSelected()}
                      />
                    </td>
                  ) : null}
                  {row.getAllCells().map((cell) => (
                    <td key={cell.id}>
                      <table.FlexRender cell={cell} />
                    </td>
                  ))}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </TableScroll>
    </>
  );
}
