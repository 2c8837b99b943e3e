// Browser-side calls to the management API: one shape for success and for field errors.
export interface ApiFailure {
  code: string;
  message: string;
  issues?: { path: string; message: string }[];
}

export type ApiResult<T> = { ok: true; data: T } | { ok: false; error: ApiFailure };

export async function callApi<T = unknown>(method: string, url: string, body?: unknown): Promise<ApiResult<T>> {
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
