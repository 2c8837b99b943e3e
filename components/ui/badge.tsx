// Status badges. Each tone's text/background pair meets WCAG AA (4.5:1) for small text; the `badge <status>`
// class names stay on the element so tests and styles can still address a status.
import { cva, type VariantProps } from "class-variance-authority";
import type { HTMLAttributes } from "react";
import { cn } from "./cn";

export const badgeVariants = cva(
  "badge inline-block whitespace-nowrap rounded-full px-2 py-0.5 text-[0.78rem] font-semibold leading-normal",
  {
    variants: {
      tone: {
        // #166534 on #dcfce7 ≈ 6.5:1 · #854d0e on #fef3c7 ≈ 6.4:1 · #991b1b on #fee2e2 ≈ 7.4:1
        ok: "bg-[#dcfce7] text-[#166534]",
        warn: "bg-[#fef3c7] text-[#854d0e]",
        danger: "bg-[#fee2e2] text-[#991b1b]",
        // #1e40af on #dbeafe ≈ 7.2:1 · #374151 on #e5e7eb ≈ 8.3:1
        info: "bg-[#dbeafe] text-[#1e40af]",
        neutral: "bg-[#e5e7eb] text-[#374151]",
        struck: "bg-[#e5e7eb] text-[#374151] line-through",
      },
    },
    defaultVariants: { tone: "neutral" },
  },
);

type Tone = NonNullable<VariantProps<typeof badgeVariants>["tone"]>;

/** The tone of each status the app shows (mapping revisions, events, deliveries, checks, deletions). */
const STATUS_TONES: Record<string, Tone> = {
  approved: "ok",
  accepted: "ok",
  succeeded: "ok",
  pass: "ok",
  completed: "ok",
  active: "ok",
  live: "ok",
  enabled: "ok",
  passed: "ok",
  in_review: "warn",
  held: "warn",
  pending: "warn",
  retrying: "warn",
  running: "warn",
  partial: "warn",
  duplicate_conflict: "warn",
  rejected: "danger",
  dead: "danger",
  fail: "danger",
  failed: "danger",
  draft: "info",
  deprecated: "struck",
  superseded: "struck",
};

export function toneOf(status: string | undefined): Tone {
  return (status && STATUS_TONES[status]) || "neutral";
}

export interface BadgeProps extends HTMLAttributes<HTMLSpanElement> {
  /** A status name: picks the tone and adds the status as a class (`badge approved`). */
  status?: string;
  tone?: Tone;
}

export function Badge({ status, tone, className, ...props }: BadgeProps) {
  return <span className={cn(badgeVariants({ tone: tone ?? toneOf(status) }), status, className)} {...props} />;
}
