"use client";
// Filter controls whose value lives in the URL (see url-state.ts).
import { useUrlState } from "@/components/url-state";

interface UrlSelectProps {
  name: string;
  label: string;
  value: string | undefined;
  options: readonly (readonly [value: string, label: string])[];
}

/** A select that writes its choice to the URL parameter `name` ("All" clears it). */
export function UrlSelect({ name, label, value, options }: UrlSelectProps) {
  const { update } = useUrlState();
  return (
    <label>
      {label}
      <select aria-label={label} value={value ?? ""} onChange={(e) => update({ [name]: e.target.value })}>
        <option value="">All</option>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The filter bar form: submitting applies the typed-in filters. */
export function FilterForm({ onApply, children }: { onApply: () => void; children: React.ReactNode }) {
  return (
    <search>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          onApply();
        }}
      >
        {children}
      </form>
    </search>
  );
}
