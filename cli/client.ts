// The CLI's HTTP client: the management API with a personal access token. A refusal becomes a
// CliError with the server's code and message (and field issues), never a stack trace.

export class CliError extends Error {
  constructor(
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
  }
}

export interface Connection {
  url: string;
  token: string;
}

export async function call<T>(conn: Connection, method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(new URL(path, conn.url), {
      method,
      headers: {
        authorization: `Bearer ${conn.token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new CliError(`Cannot reach ${conn.url}: ${(error as Error).message}`);
  }
  const text = await response.text();
  let parsed: { error?: { code?: string; message?: string; issues?: { path: string; message: string }[] } };
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CliError(`${method} ${path}: HTTP ${response.status}, not JSON`);
  }
  if (!response.ok) {
    const error = parsed?.error ?? {};
    const issues = error.issues ?? [];
    throw new CliError(
      `${method} ${path}: ${error.code ?? response.status}: ${error.message ?? "request failed"}`,
      issues.map((i) => `${i.path}: ${i.message}`),
    );
  }
  return parsed as T;
}
