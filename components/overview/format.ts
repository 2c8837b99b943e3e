// Labels and numbers for the overview, the same on the server and in the browser (UTC, fixed locale).

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const two = (n: number) => String(n).padStart(2, "0");

/** A chart point's label: the hour for hourly points, day and hour for 6-hour points, the date for days. */
export function pointLabel(t: number, stepHours: number): string {
  const d = new Date(t);
  const hour = `${two(d.getUTCHours())}:00`;
  if (stepHours === 1) return hour;
  if (stepHours < 24) return `${DAYS[d.getUTCDay()]} ${hour}`;
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
}

export const count = (n: number) => n.toLocaleString("en-US");
export const percent = (v: number | null) => (v === null ? "—" : `${(v * 100).toFixed(v > 0 && v < 0.1 ? 1 : 0)}%`);
export const ms = (v: number | null) => (v === null ? "—" : `≤ ${count(v)} ms`);

/** How long ago, coarsely: "42 s", "5 min", "3 h", "2 d". */
export function age(since: Date | null, now: Date): string {
  if (!since) return "—";
  const s = Math.max(0, Math.round((now.getTime() - since.getTime()) / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  if (s < 86_400) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} d`;
}

export const utc = (d: Date) => `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
