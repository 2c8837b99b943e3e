// Retry policy: exponential backoff with full jitter, Retry-After honoured, a cap on attempts
// and on age (and the platform's own max event age) after which a delivery is dead-lettered.
import { workerEnv } from "@/lib/env";

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Dead-letter anything still undelivered this long after the event was stored. */
  maxAgeMs: number;
}

/** The policy deliveries follow: attempts and first delay from the environment (lib/env.ts), fixed caps. */
export function retryPolicy(): RetryPolicy {
  const settings = workerEnv();
  return {
    maxAttempts: settings.TRACKLAYER_DELIVERY_MAX_ATTEMPTS,
    baseDelayMs: settings.TRACKLAYER_DELIVERY_BASE_DELAY_MS,
    maxDelayMs: 60 * 60 * 1000,
    maxAgeMs: 3 * 24 * 60 * 60 * 1000,
  };
}

/** Delay before the next try after `attempts` failed ones (1-based), jittered in [0.5, 1] × the cap. */
export function backoffMs(attempts: number, policy: RetryPolicy, random = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling * (0.5 + random() * 0.5));
}

export type NextStep = { kind: "retry"; at: Date } | { kind: "dead"; reason: string };

export function nextStep(args: {
  attempts: number;
  now: Date;
  eventAt: Date;
  storedAt: Date;
  retryAfterMs?: number;
  policy: RetryPolicy;
  platformMaxAgeMs?: number;
  random?: () => number;
}): NextStep {
  const { attempts, now, policy } = args;
  if (attempts >= policy.maxAttempts) return { kind: "dead", reason: `gave up after ${attempts} attempts` };
  const delay = Math.max(args.retryAfterMs ?? 0, backoffMs(attempts, policy, args.random));
  const at = new Date(now.getTime() + delay);
  if (at.getTime() - args.storedAt.getTime() > policy.maxAgeMs)
    return { kind: "dead", reason: "undelivered past the retry window" };
  // Leave a margin: the platform must receive it before its own age limit, not at it.
  if (args.platformMaxAgeMs && at.getTime() - args.eventAt.getTime() > args.platformMaxAgeMs * 0.95) {
    return { kind: "dead", reason: "the event would be too old for the platform by the next try" };
  }
  return { kind: "retry", at };
}
