// One HTTP exchange with a platform, bounded by a timeout, through the guarded fetch (lib/delivery/outbound);
// network failures become answers, and a refused target becomes a refused answer that is never retried.
import type { HttpAnswer, HttpRequestSpec, Outcome } from "@/lib/delivery/destinations/types";
import { guardedFetch, refusalOf } from "@/lib/delivery/outbound";

export type Exchange = { answer: HttpAnswer | { networkError: string; refused?: true }; latencyMs: number };

/** The outcome of a refused request (a private or metadata target): permanent, with the reason. Null otherwise. */
export function refusedOutcome(answer: Exchange["answer"]): Outcome | null {
  return "refused" in answer && answer.refused ? { outcome: "permanent", reason: answer.networkError } : null;
}

export async function send(
  request: HttpRequestSpec,
  timeoutMs: number,
  fetchImpl: typeof fetch = guardedFetch,
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
    const refusal = refusalOf(error);
    if (refusal)
      return {
        answer: { networkError: refusal.message, refused: true },
        latencyMs: Math.round(performance.now() - started),
      };
    const name = (error as { name?: string }).name;
    const reason =
      name === "TimeoutError" || name === "AbortError"
        ? `timeout after ${timeoutMs} ms`
        : `network error: ${(error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message}`;
    return { answer: { networkError: reason }, latencyMs: Math.round(performance.now() - started) };
  }
}
