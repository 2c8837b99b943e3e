// Card: the white panel pages are built from. TableScroll lets a wide table scroll inside its card (or
// the page column) instead of widening the page on a phone.
import type { HTMLAttributes } from "react";
import { cn } from "./cn";

export function Card({ className, ...props }: HTMLAttributes<HTMLDivElement>) {
  return <div className={cn("panel min-w-0", className)} {...props} />;
}

export function CardTitle({ className, ...props }: HTMLAttributes<HTMLHeadingElement>) {
  return <h2 className={cn("mt-0", className)} {...props} />;
}

/**
 * A horizontally scrolling box for a table. Focusable so keyboard users can scroll it too (axe:
 * scrollable-region-focusable); unnamed, so it adds no landmark and the table keeps its own name. Positioned,
 * so visually hidden (absolute) cells are clipped with the table instead of widening the page.
 */
export function TableScroll({ className, ...props }: HTMLAttributes<HTMLDivElement>) {
  return (
    <div
      className={cn("table-scroll relative w-full min-w-0 max-w-full overflow-x-auto", className)}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
      tabIndex={0}
      {...props}
    />
  );
}
