"use client";
import { useUrlState } from "@/components/url-state";

export function Pager({ page, perPage, total }: { page: number; perPage: number; total: number }) {
  const { update } = useUrlState();
  const pages = Math.max(1, Math.ceil(total / perPage));
  return (
    <nav className="pager" aria-label="Pagination">
      <button type="button" disabled={page <= 1} onClick={() => update({ page: page - 1 }, false)}>
        Previous
      </button>
      <span className="muted">
        Page {page} of {pages} · {total} total
      </span>
      <button type="button" disabled={page >= pages} onClick={() => update({ page: page + 1 }, false)}>
        Next
      </button>
    </nav>
  );
}
