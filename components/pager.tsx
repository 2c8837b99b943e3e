"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useUrlState } from "@/components/url-state";

/** Offset pages with an exact total: for the small registry tables (mappings), not for growing ones. */
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

const compact = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });

/** "about 1.2M" — rollup totals lag the events by seconds, so large ones are never shown as exact. */
export function aboutCount(n: number): string {
  return n < 1000 ? `about ${n}` : `about ${compact.format(n)}`;
}

interface CursorPagerProps {
  nextCursor: string | null;
  prevCursor: string | null;
  /** From the rollups; null when unknown (a search). */
  totalEstimate?: number | null;
  /** What the list holds, plural ("events"). */
  noun: string;
}

/**
 * Keyset pages for lists over growing tables: Previous / Next are links carrying the cursor in the
 * address (linkable, no count of the table), with the rollups' estimate of the total beside them.
 */
export function CursorPager({ nextCursor, prevCursor, totalEstimate, noun }: CursorPagerProps) {
  const { params } = useUrlState();
  const pathname = usePathname();
  const href = (cursor: string) => {
    const next = new URLSearchParams(params.toString());
    next.delete("page");
    next.set("cursor", cursor);
    return `${pathname}?${next.toString()}`;
  };
  return (
    <nav className="pager" aria-label="Pagination">
      {prevCursor ? (
        <Link href={href(prevCursor)} rel="prev">
          Previous
        </Link>
      ) : (
        <span className="muted" aria-disabled="true">
          Previous
        </span>
      )}
      <span className="muted">
        {totalEstimate === null || totalEstimate === undefined ? null : `${aboutCount(totalEstimate)} ${noun}`}
      </span>
      {nextCursor ? (
        <Link href={href(nextCursor)} rel="next">
          Next
        </Link>
      ) : (
        <span className="muted" aria-disabled="true">
          Next
        </span>
      )}
    </nav>
  );
}
