"use client";
// Sheet: a Radix dialog sliding in from the side (the phone navigation). Radix keeps focus inside while it
// is open, closes on Escape and on a click outside, and gives focus back to the button that opened it.
import * as Dialog from "@radix-ui/react-dialog";
import type { ComponentProps } from "react";
import { cn } from "./cn";

export const Sheet = Dialog.Root;
export const SheetTrigger = Dialog.Trigger;
export const SheetClose = Dialog.Close;
export const SheetTitle = Dialog.Title;
export const SheetDescription = Dialog.Description;

export function SheetContent({
  className,
  side = "left",
  children,
  ...props
}: ComponentProps<typeof Dialog.Content> & { side?: "left" | "right" }) {
  return (
    <Dialog.Portal>
      <Dialog.Overlay className="fixed inset-0 z-40 bg-slate-900/50" />
      <Dialog.Content
        className={cn(
          "fixed inset-y-0 z-50 flex w-[min(18rem,85vw)] flex-col overflow-y-auto shadow-xl focus:outline-none",
          side === "left" ? "left-0" : "right-0",
          className,
        )}
        {...props}
      >
        {children}
      </Dialog.Content>
    </Dialog.Portal>
  );
}
