"use client";
// Tooltip (Radix): shown on hover and on keyboard focus, announced as the trigger's description.
import * as Primitive from "@radix-ui/react-tooltip";
import type { ReactNode } from "react";

export const TooltipProvider = Primitive.Provider;

export function Tooltip({ content, children }: { content: ReactNode; children: ReactNode }) {
  return (
    <Primitive.Root>
      <Primitive.Trigger asChild>{children}</Primitive.Trigger>
      <Primitive.Portal>
        <Primitive.Content
          sideOffset={4}
          className="z-50 max-w-xs rounded-md bg-slate-900 px-2 py-1 text-xs text-white shadow"
        >
          {content}
          <Primitive.Arrow className="fill-slate-900" />
        </Primitive.Content>
      </Primitive.Portal>
    </Primitive.Root>
  );
}
