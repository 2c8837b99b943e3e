// Schemas of the computed-traits API, shared by the routes, the dashboard form and the OpenAPI document.
import { z } from "zod";
import { MAX_RULE_LENGTH, parseRule, RuleSyntaxError } from "@/lib/traits/rule-grammar";

/** Names the built-in computed traits use; a workspace rule may not take them. */
export const BUILT_IN_TRAITS = ["match_quality", "destination_eligibility", "last_conversion"] as const;

export const computedTraitKeySchema = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, "use lower_snake_case, starting with a letter (max 40)")
  .refine((k) => !(BUILT_IN_TRAITS as readonly string[]).includes(k), {
    message: "is the name of a built-in computed trait",
  });

/** A rule in the grammar of lib/traits/rule-grammar.ts; syntax errors carry their column. */
export const ruleSchema = z
  .string({ error: "rule is required, e.g. purchases_30d >= 2" })
  .trim()
  .min(1, "rule is required, e.g. purchases_30d >= 2")
  .max(MAX_RULE_LENGTH, `rule must be at most ${MAX_RULE_LENGTH} characters`)
  .superRefine((rule, ctx) => {
    try {
      parseRule(rule);
    } catch (error) {
      if (!(error instanceof RuleSyntaxError)) throw error;
      ctx.addIssue({ code: "custom", message: error.message, params: { column: error.at + 1 } });
    }
  })
  .meta({
    description:
      "Compare traits (plan, traits.address.country), event counts in a window (purchases_30d, count(purchase, 12h)) and match_quality with == != > >= < <=, combine with and / or / not and parentheses. Syntax errors name their column.",
    example: 'purchases_30d >= 2 and plan == "pro"',
  });

export const computedTraitCreateSchema = z.strictObject({
  key: computedTraitKeySchema,
  name: z.string().trim().min(1, "is required").max(100),
  description: z.string().trim().max(1000).default(""),
  rule: ruleSchema,
  enabled: z.boolean().default(true),
});
export type ComputedTraitCreate = z.output<typeof computedTraitCreateSchema>;

export const computedTraitUpdateSchema = z
  .strictObject({
    name: z.string().trim().min(1, "is required").max(100).optional(),
    description: z.string().trim().max(1000).optional(),
    rule: ruleSchema.optional(),
    enabled: z.boolean().optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), "send at least one field to change");
export type ComputedTraitUpdate = z.output<typeof computedTraitUpdateSchema>;
