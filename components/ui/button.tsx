// Button (shadcn/ui style): variants on top of the base <button> look in app/globals.css; `asChild` renders
// the styles on a link or another element (Radix Slot).
import { Slot } from "@radix-ui/react-slot";
import { cva, type VariantProps } from "class-variance-authority";
import type { ButtonHTMLAttributes } from "react";
import { cn } from "./cn";

export const buttonVariants = cva(
  "inline-flex items-center justify-center gap-1.5 rounded-md border font-[inherit] cursor-pointer no-underline hover:no-underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent disabled:cursor-not-allowed disabled:opacity-50",
  {
    variants: {
      variant: {
        default: "border-border bg-panel text-text hover:bg-bg",
        primary: "border-accent bg-accent text-accent-text hover:brightness-110",
        danger: "border-danger bg-panel text-danger hover:bg-red-50",
        ghost: "border-transparent bg-transparent text-inherit hover:bg-white/10",
      },
      size: {
        default: "px-3.5 py-1.5",
        sm: "px-2.5 py-1 text-sm",
        icon: "size-9 p-0",
      },
    },
    defaultVariants: { variant: "default", size: "default" },
  },
);

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement>, VariantProps<typeof buttonVariants> {
  asChild?: boolean;
}

export function Button({ className, variant, size, asChild = false, type, ...props }: ButtonProps) {
  const Comp = asChild ? Slot : "button";
  return (
    <Comp
      className={cn(buttonVariants({ variant, size }), className)}
      {...(asChild ? {} : { type: type ?? "button" })}
      {...props}
    />
  );
}
