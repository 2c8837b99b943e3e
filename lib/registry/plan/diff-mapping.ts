// Pure: field-by-field difference between a mapping in the workspace and in a bundle. Breaking:
// pointing at another canonical event, requiring a property it did not require, or dropping /
// redirecting a rename (the source property would no longer arrive where it did).
import type { FieldDiff } from "@/lib/registry/plan/diff-event";
import { stableJson } from "@/lib/stable-json";
import type { BundleMapping } from "@/lib/validations/registry-bundle";

const FIELDS = ["canonical_event", "required_properties", "property_renames", "destinations"] as const;
type Field = (typeof FIELDS)[number];

function isBreaking(field: Field, before: BundleMapping, after: BundleMapping): boolean {
  switch (field) {
    case "canonical_event":
      return true;
    case "required_properties":
      return after.required_properties.some((p) => !before.required_properties.includes(p));
    case "property_renames":
      return Object.entries(before.property_renames).some(([from, to]) => after.property_renames[from] !== to);
    case "destinations":
      return false;
  }
}

export function diffMappings(before: BundleMapping, after: BundleMapping): FieldDiff[] {
  return FIELDS.filter((field) => stableJson(before[field]) !== stableJson(after[field])).map((field) => ({
    field,
    before: before[field],
    after: after[field],
    breaking: isBreaking(field, before, after),
  }));
}
