// Keyset cursors: where a page starts, as the (time, id) of the row it follows and the direction,
// encoded opaque (base64url JSON) for the URL and the API's `next_cursor` / `prev_cursor`.
import { z } from "zod";

export interface Cursor {
  /** The sort key of the row the page starts after (exclusive). */
  at: Date;
  id: string;
  /** next: rows after it in the list's order; prev: rows before it. */
  dir: "next" | "prev";
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.at.toISOString(), cursor.id, cursor.dir])).toString("base64url");
}

function decodeCursor(text: string): Cursor | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
    if (!Array.isArray(value) || value.length !== 3) return null;
    const [at, id, dir] = value as unknown[];
    if (typeof at !== "string" || typeof id !== "string" || id.length > 200) return null;
    if (dir !== "next" && dir !== "prev") return null;
    const date = new Date(at);
    return Number.isNaN(date.getTime()) ? null : { at: date, id, dir };
  } catch {
    return null;
  }
}

/** `cursor` in a list query: a `next_cursor` / `prev_cursor` from an earlier answer. */
export const cursorSchema = z
  .string()
  .trim()
  .max(400)
  .transform((text, ctx) => {
    const cursor = decodeCursor(text);
    if (!cursor)
      ctx.addIssue({ code: "custom", message: "is not a cursor from this list (use next_cursor or prev_cursor)" });
    return cursor ?? z.NEVER;
  });
