"use client";
// A button for a destructive or hard-to-undo action: it opens an accessible confirmation dialog
// (Radix AlertDialog: focus trapped, Escape cancels, the title and description are announced)
// and runs the action only on "confirm".
import * as AlertDialog from "@radix-ui/react-alert-dialog";
import { type ReactNode, useState } from "react";

interface ConfirmButtonProps {
  /** The button's own label. */
  children: ReactNode;
  /** The question, e.g. "Reject this revision?". */
  title: string;
  /** What happens, in a sentence the user can weigh. */
  description: ReactNode;
  /** The confirming button's label, e.g. "Reject". */
  confirm: string;
  onConfirm: () => void | Promise<void>;
  disabled?: boolean;
  className?: string;
  "aria-label"?: string;
}

interface ConfirmDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description: ReactNode;
  confirm: string;
  onConfirm: () => void | Promise<void>;
}

/** The confirmation dialog itself, opened by its owner (e.g. when a select changes). */
export function ConfirmDialog({ open, onOpenChange, title, description, confirm, onConfirm }: ConfirmDialogProps) {
  return (
    <AlertDialog.Root open={open} onOpenChange={onOpenChange}>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="dialog-overlay" />
        <AlertDialog.Content className="dialog">
          <AlertDialog.Title className="dialog-title">{title}</AlertDialog.Title>
          <AlertDialog.Description className="muted">{description}</AlertDialog.Description>
          <div className="row dialog-actions">
            <AlertDialog.Cancel asChild>
              <button type="button">Cancel</button>
            </AlertDialog.Cancel>
            <AlertDialog.Action asChild>
              <button type="button" className="danger" onClick={() => void onConfirm()}>
                {confirm}
              </button>
            </AlertDialog.Action>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}

export function ConfirmButton({
  children,
  disabled,
  className = "danger",
  "aria-label": ariaLabel,
  ...dialog
}: ConfirmButtonProps) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className={className}
        disabled={disabled}
        aria-label={ariaLabel}
        onClick={() => setOpen(true)}
      >
        {children}
      </button>
      <ConfirmDialog open={open} onOpenChange={setOpen} {...dialog} />
    </>
  );
}
