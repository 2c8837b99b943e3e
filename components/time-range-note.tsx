// Says when a list is limited to a time range from its address (links from the reconciliation set
// from / to), with a link to the same list at any time.
import Link from "next/link";
import { utc } from "@/components/overview/format";

interface Props {
  path: string;
  /** The list's other URL filters, kept by the "any time" link. */
  params: Record<string, string | number | undefined>;
  from?: Date;
  to?: Date;
  /** What the times are of: "Received", "Created". */
  what: string;
}

export function TimeRangeNote({ path, params, from, to, what }: Props) {
  if (!from && !to) return null;
  const rest = new URLSearchParams(
    Object.entries(params)
      .filter(([k, v]) => v !== undefined && v !== "" && k !== "from" && k !== "to" && k !== "page")
      .map(([k, v]) => [k, String(v)]),
  ).toString();
  return (
    <p className="muted" data-testid="time-range">
      {what} {from ? `from ${utc(from)}` : null} {to ? `until ${utc(to)}` : null}.{" "}
      <Link href={rest ? `${path}?${rest}` : path}>Any time</Link>
    </p>
  );
}
