// Writes what one audience sync attempt did: one log row per HTTP exchange (request as sent
// without credentials, the answer, latency, outcome) and the outbox row's new state.
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db";
import type { HttpRequestSpec } from "@/lib/delivery/destinations/types";
import type { Exchange } from "@/lib/delivery/engine/send";
import { loggable } from "@/lib/delivery/engine/record";

export interface ExchangeLog {
  request: HttpRequestSpec | null;
  exchange: Exchange | null;
  outcome: string;
  reason: string;
}

export interface AudienceSettled {
  status: "succeeded" | "retrying" | "dead" | "skipped";
  reason: string;
  nextAttemptAt: Date | null;
  ack?: unknown;
  sentAdds: number;
  sentRemoves: number;
  unmatchable: number;
  members: number | null;
  matchable: number | null;
}

const asJson = (value: unknown) => {
  const text = loggable(value);
  return text === null ? undefined : (JSON.parse(text) as object);
};

export async function recordAudienceAttempt(deliveryId: string, attempt: number, logs: ExchangeLog[], settled: AudienceSettled, now: Date): Promise<void> {
  const answerOf = (l: ExchangeLog) => (l.exchange && "status" in l.exchange.answer ? l.exchange.answer : null);
  await db().$transaction([
    db().audienceDeliveryAttempt.createMany({
      data: logs.map((l) => {
        const answer = answerOf(l);
        const networkError = l.exchange && "networkError" in l.exchange.answer ? l.exchange.answer.networkError : null;
        return {
          id: randomUUID(),
          deliveryId,
          attempt,
          requestUrl: l.request?.log.url ?? "",
          requestMethod: l.request?.method ?? "",
          requestHeaders: (l.request?.log.headers ?? {}) as object,
          requestBody: asJson(l.request?.log.body),
          responseStatus: answer?.status ?? null,
          responseBody: asJson(answer ? answer.body : networkError ? { network_error: networkError } : null),
          latencyMs: l.exchange?.latencyMs ?? 0,
          outcome: l.outcome,
          reason: l.reason,
          createdAt: now,
        };
      }),
    }),
    db().audienceDelivery.update({
      where: { id: deliveryId },
      data: {
        status: settled.status,
        attempts: attempt,
        ...(settled.nextAttemptAt ? { nextAttemptAt: settled.nextAttemptAt } : {}),
        lastError: settled.status === "succeeded" ? null : settled.reason,
        ...(settled.status === "succeeded" ? { deliveredAt: now, members: settled.members, matchable: settled.matchable } : {}),
        ...(settled.ack === undefined ? {} : { ack: settled.ack as object }),
        sentAdds: settled.sentAdds,
        sentRemoves: settled.sentRemoves,
        unmatchable: settled.unmatchable,
        leaseUntil: null,
        leasedBy: null,
        updatedAt: now,
      },
    }),
  ]);
}
