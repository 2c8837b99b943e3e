// Browser-side calls to the management API: one shape for success and for field errors. Writes announce their
// outcome with a toast by default (components/ui/toaster.tsx); a form that shows its own result inline opts out.
import { toast } from "sonner";

export interface ApiFailure {
  code: string;
  message: string;
  issues?: { path: string; message: string }[];
}

export type ApiResult<T> = { ok: true; data: T } | { ok: false; error: ApiFailure };

export interface CallOptions {
  /** The toast after a successful write: a message, or false for none (the form shows its result inline). */
  success?: string | false;
  /** false: no toast for a failure (the form shows the error inline). */
  error?: boolean;
}

/** For forms that show both outcomes inline (the public account pages): no toasts. */
export const INLINE: CallOptions = { success: false, error: false };

export async function callApi<T = unknown>(
  method: string,
  url: string,
  body?: unknown,
  options: CallOptions = {},
): Promise<ApiResult<T>> {
  const result = await send<T>(method, url, body);
  const write = method.toUpperCase() !== "GET";
  if (result.ok && write && options.success !== false)
    toast.success(options.success ?? (method.toUpperCase() === "DELETE" ? "Removed." : "Saved."));
  if (!result.ok && write && options.error !== false) toast.error(result.error.message);
  return result;
}

async function send<T>(method: string, url: string, body: unknown): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: body === undefined ? undefined : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    return {
      ok: false,
      error: { code: "network", message: "Could not reach the server. Check your connection and retry." },
    };
  }
  const payload = (await response.json().catch(() => null)) as { error?: ApiFailure } | null;
  if (!response.ok) {
    return {
      ok: false,
      error: payload?.error ?? { code: `http_${response.status}`, message: `Request failed (${response.status})` },
    };
  }
  return { ok: true, data: payload as T };
}

/** Field errors keyed by path, from a zod error (client) or an API failure (server). */
export function fieldErrors(issues: { path: string | (string | number | symbol)[]; message: string }[] | undefined) {
  const out: Record<string, string> = {};
  for (const issue of issues ?? []) {
    const key = Array.isArray(issue.path) ? issue.path.map(String).join(".") : issue.path;
    out[key] ??= issue.message;
  }
  return out;
}
