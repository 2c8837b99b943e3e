// One HTTP exchange with a platform, bounded by a timeout; network failures become answers.
import type { HttpAnswer, HttpRequestSpec } from "@/lib/delivery/destinations/types";

export type Exchange = { answer: HttpAnswer | { networkError: string }; latencyMs: number };

export async function send(
  request: HttpRequestSpec,
  timeoutMs: number,
  fetchImpl: typeof fetch = fetch,
): Promise<Exchange> {
  const started = performance.now();
  try {
    const response = await fetchImpl(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // keep the text
    }
    return {
      answer: { status: response.status, headers: Object.fromEntries(response.headers.entries()), body },
      latencyMs: Math.round(performance.now() - started),
    };
  } catch (error) {
    const name = (error as { name?: string }).name;
    const reason =
      name === "TimeoutError" || name === "AbortError"
        ? `timeout after ${timeoutMs} ms`
        : `network error: ${(error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message}`;
    return { answer: { networkError: reason }, latencyMs: Math.round(performance.now() - started) };
  }
}
