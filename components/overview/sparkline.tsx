// A tiny inline bar sparkline (plain SVG, no client code); its label says the numbers.

export function Sparkline({ values, label }: { values: number[]; label: string }) {
  const max = Math.max(1, ...values);
  const w = 4;
  const gap = 1;
  const h = 18;
  return (
    <svg role="img" aria-label={label} width={values.length * (w + gap)} height={h} style={{ verticalAlign: "middle" }}>
      <title>{label}</title>
      {values.map((v, i) => {
        const bar = v === 0 ? 1 : Math.max(2, Math.round((v / max) * h));
        // biome-ignore lint/suspicious/noArrayIndexKey: a fixed series of days
        return <rect key={i} x={i * (w + gap)} y={h - bar} width={w} height={bar} fill={v ? "#2b6cb0" : "#cbd5e0"} />;
      })}
    </svg>
  );
}
