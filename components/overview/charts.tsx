"use client";
// The overview's charts (Recharts). Each one is drawn beside a table or summary of the same
// numbers rendered on the server, so the first paint and screen readers have them without this.
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";

const STATUS_COLOURS: Record<string, string> = {
  accepted: "#2f855a",
  held: "#b7791f",
  unmapped: "#718096",
  rejected: "#c53030",
  duplicate_conflict: "#6b46c1",
};
const LINE_COLOURS = ["#2b6cb0", "#d53f8c", "#319795", "#dd6b20", "#805ad5", "#38a169"];

/** Legend labels in the text colour (the swatch carries the series colour): light series colours as text
 * would fail WCAG AA contrast. */
const legendLabel = (value: string) => <span style={{ color: "var(--text)" }}>{value}</span>;

export interface VolumeDatum {
  label: string;
  accepted: number;
  held: number;
  unmapped: number;
  rejected: number;
  duplicate_conflict: number;
}

/** Stacked bars: events per point, split by status. */
export function VolumeChart({ data, title }: { data: VolumeDatum[]; title: string }) {
  return (
    <figure aria-label={title} style={{ margin: 0, height: 240, minWidth: 0, width: "100%" }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} accessibilityLayer>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" fontSize={11} minTickGap={16} />
          <YAxis allowDecimals={false} fontSize={11} width={40} />
          <Tooltip />
          <Legend formatter={legendLabel} />
          {Object.entries(STATUS_COLOURS).map(([status, colour]) => (
            <Bar key={status} dataKey={status} stackId="status" fill={colour} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

/** Lines of rates (0..100 %) per point: one per series; a point without data is a gap. */
export function RateChart({
  data,
  series,
  title,
}: {
  data: Record<string, string | number | null>[];
  series: { key: string; name: string }[];
  title: string;
}) {
  return (
    <figure aria-label={title} style={{ margin: 0, height: 200, minWidth: 0, width: "100%" }}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} accessibilityLayer>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" fontSize={11} minTickGap={16} />
          <YAxis domain={[0, 100]} unit="%" fontSize={11} width={44} />
          <Tooltip />
          <Legend formatter={legendLabel} />
          {series.map((s, i) => (
            <Line
              key={s.key}
              dataKey={s.key}
              name={s.name}
              stroke={LINE_COLOURS[i % LINE_COLOURS.length]}
              dot={false}
              connectNulls={false}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
