// One property's value rules in the canonical event editor: the inputs that fit its type.
import { FieldError } from "@/components/ui/form-bits";
import { type DraftRule, EDITABLE_RULES, type RuleDrafts } from "./rule-drafts";

const LABELS: Record<DraftRule, { label: string; placeholder: string }> = {
  enum: { label: "allowed values", placeholder: "allowed values (a, b, c)" },
  pattern: { label: "pattern", placeholder: "pattern (regex)" },
  minimum: { label: "minimum", placeholder: "min" },
  maximum: { label: "maximum", placeholder: "max" },
  min_length: { label: "min length", placeholder: "min length" },
  max_length: { label: "max length", placeholder: "max length" },
};

interface Props {
  index: number;
  type: keyof typeof EDITABLE_RULES;
  drafts: RuleDrafts;
  onChange: (drafts: RuleDrafts) => void;
  errors: Record<string, string>;
}

export function RuleFields({ index, type, drafts, onChange, errors }: Props) {
  const rules = EDITABLE_RULES[type];
  if (rules.length === 0) return null;
  return (
    <div className="row" style={{ marginLeft: "1.5rem", marginBottom: ".4rem" }}>
      {rules.map((rule) => (
        <span key={rule}>
          <input
            aria-label={`Property ${index + 1} ${LABELS[rule].label}`}
            placeholder={LABELS[rule].placeholder}
            value={drafts[rule]}
            size={rule === "enum" || rule === "pattern" ? 18 : 8}
            onChange={(e) => onChange({ ...drafts, [rule]: e.target.value })}
          />
          <FieldError errors={errors} name={`properties.${index}.${rule}`} />
        </span>
      ))}
    </div>
  );
}
