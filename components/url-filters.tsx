"use client";
// Filter controls whose value lives in the URL (see url-state.ts).
import { type ReactNode, useState } from "react";
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

interface FilterBarProps {
  /** The search box's current value (the URL's `q`). */
  q: string | undefined;
  placeholder: string;
  /** What submitting writes to the URL (default: `q` alone); other typed-in filters join here. */
  apply?: (q: string) => Record<string, string | undefined>;
  children?: ReactNode;
}

/** The filter bar of a list: a search box applied on submit, then the list's other filters. */
export function FilterBar({ q, placeholder, apply = (value) => ({ q: value }), children }: FilterBarProps) {
  const { update } = useUrlState();
  const [search, setSearch] = useState(q ?? "");
  return (
    <FilterForm onApply={() => update(apply(search))}>
      <label>
        Search
        <input
          type="search"
          placeholder={placeholder}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          style={{ minWidth: "18rem" }}
        />
      </label>
      {children}
    </FilterForm>
  );
}
