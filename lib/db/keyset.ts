// Keyset paging over (a time column, id): a page is "the next N rows after this key", read
// through an index in O(page) however deep — never an offset, never a count. Cursors are
// lib/validations/cursor.ts; each list passes its time column and order.
import { type Cursor, encodeCursor } from "@/lib/validations/cursor";

type Order = "asc" | "desc";

export interface KeysetPage<T> {
  rows: T[];
  /** The page after this one, or null on the last page. */
  next_cursor: string | null;
  /** The page before this one, or null on the first page. */
  prev_cursor: string | null;
}

/** The order to read in: a "prev" page reads backwards from its cursor (and is reversed after). */
export function readOrder(order: Order, cursor: Cursor | null | undefined): Order {
  if (cursor?.dir !== "prev") return order;
  return order === "asc" ? "desc" : "asc";
}

/**
 * Prisma conditions for the rows past the cursor in the reading order: the time bound alone is an
 * index range, the id comparison breaks ties among rows of the same instant.
 */
export function keysetWhere(field: string, order: Order, cursor: Cursor | null | undefined) {
  if (!cursor) return {};
  const op = readOrder(order, cursor) === "desc" ? "lt" : "gt";
  const bound = op === "lt" ? "lte" : "gte";
  return {
    AND: [{ [field]: { [bound]: cursor.at } }, { OR: [{ [field]: { [op]: cursor.at } }, { id: { [op]: cursor.id } }] }],
  };
}

/** Prisma orderBy for the reading order: the time column, then id. */
export function keysetOrderBy(field: string, order: Order, cursor: Cursor | null | undefined) {
  const o = readOrder(order, cursor);
  return [{ [field]: o }, { id: o }];
}

/**
 * Turns the rows read (up to perPage + 1, in reading order) into the page in list order with its
 * cursors. `keyOf` gives a row's (time, id).
 */
export function keysetPage<T>(
  read: T[],
  perPage: number,
  cursor: Cursor | null | undefined,
  keyOf: (row: T) => { at: Date; id: string },
  /** Rows skipped by offset paging (deprecated `page`): there are rows before this page. */
  offset = 0,
): KeysetPage<T> {
  const more = read.length > perPage;
  const rows = read.slice(0, perPage);
  const backwards = cursor?.dir === "prev";
  if (backwards) rows.reverse();
  const first = rows[0];
  const last = rows[rows.length - 1];
  const at = (row: T | undefined, dir: Cursor["dir"]) => (row ? encodeCursor({ ...keyOf(row), dir }) : null);
  return {
    rows,
    next_cursor: backwards ? at(last, "next") : more ? at(last, "next") : null,
    prev_cursor: backwards ? (more ? at(first, "prev") : null) : cursor || offset > 0 ? at(first, "prev") : null,
  };
}
