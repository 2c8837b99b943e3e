"use client";
// Form submission shared by every dashboard form: validate with the server's zod schema,
// send to the management API, show field errors from either side, refresh the page's data. Errors show inline
// (no toast); a save is confirmed with a toast unless the form passes `{ success: false }`.
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { z } from "zod";
import { type CallOptions, callApi, fieldErrors } from "@/components/ui/api-client";

export function useApiForm<S extends z.ZodType, R = unknown>(
  schema: S | null,
  method: string,
  url: string,
  toasts: Pick<CallOptions, "success"> = {},
) {
  const router = useRouter();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(input: unknown): Promise<R | null> {
    setError(null);
    const parsed = schema ? schema.safeParse(input) : { success: true as const, data: input };
    if (!parsed.success) {
      setErrors(fieldErrors(parsed.error.issues));
      setError("Please fix the highlighted fields.");
      return null;
    }
    setErrors({});
    setPending(true);
    const result = await callApi<R>(method, url, input, { ...toasts, error: false });
    setPending(false);
    if (!result.ok) {
      setErrors(fieldErrors(result.error.issues));
      setError(result.error.message);
      return null;
    }
    router.refresh();
    return result.data;
  }

  return { submit, errors, error, pending, setError };
}
