// Where a reconciliation number leads: the events explorer or the deliveries log, filtered to the
// day (or range), canonical event, destination and status behind it.

export interface Scope {
  /** Inclusive UTC bounds of the day or range. */
  from: Date;
  to: Date;
  /** The canonical event's name; null for events mapped to none. */
  canonicalEvent: string | null;
}

/** One UTC day's bounds; the range's for "total" rows. */
export function dayBounds(day: string, range: { from: string; to: string }): { from: Date; to: Date } {
  const [first, last] = day === "total" ? [range.from, range.to] : [day, day];
  return { from: new Date(`${first}T00:00:00.000Z`), to: new Date(`${last}T23:59:59.999Z`) };
}

const query = (params: Record<string, string | null | undefined>) =>
  new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => Boolean(e[1]))).toString();

/** The stored events behind an event-side number (status omitted: every status). */
export const eventsHref = (scope: Scope, status?: string, mapping?: string) =>
  `/events?${query({
    canonical_event: scope.canonicalEvent,
    mapping,
    status,
    from: scope.from.toISOString(),
    to: scope.to.toISOString(),
  })}`;

/** The outbox rows behind a destination number (by their event's arrival time). */
export const deliveriesHref = (scope: Scope, destinationId: string, status?: string) =>
  `/deliveries?${query({
    destination: destinationId,
    canonical_event: scope.canonicalEvent,
    status,
    from: scope.from.toISOString(),
    to: scope.to.toISOString(),
  })}`;
