// Time-ordered ids (UUIDv7) for the rows ingestion creates: they append to their primary-key
// index instead of landing on random pages of a large table. The random part comes from a
// pooled buffer: one call into the system's random source per 256 ids, not one per id.
import { randomFillSync } from "node:crypto";
import { v7 } from "uuid";

const POOL_BYTES = 256 * 16;
let pool = Buffer.alloc(0);
let offset = 0;

export function timeOrderedId(): string {
  if (offset + 16 > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(POOL_BYTES));
    offset = 0;
  }
  const random = pool.subarray(offset, offset + 16);
  offset += 16;
  return v7({ random });
}
