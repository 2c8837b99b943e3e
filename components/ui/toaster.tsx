"use client";
// Toasts (sonner): one <Toaster> in the root layout; anything calls `toast.success(...)` / `toast.error(...)`.
// Toasts are announced through a polite live region.
import { Toaster as Sonner } from "sonner";

export { toast } from "sonner";

export function Toaster() {
  return <Sonner position="bottom-right" richColors closeButton duration={5000} />;
}
