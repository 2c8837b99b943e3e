// Writes what one audience sync attempt did: each HTTP exchange (request as sent without
// credentials, the answer, latency) with an attempt row (its outcome), and the outbox row's new state.
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db";
import type { HttpRequestSpec } from "@/lib/delivery/destinations/types";
import { exchangeRow } from "@/lib/delivery/engine/exchange-log";
import type { Exchange } from "@/lib/delivery/engine/send";

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

const asJson = (text: string | null) => (text === null ? undefined : (JSON.parse(text) as object));

/** The exchanges (one HttpExchange row each) and one attempt row per exchange, then the outbox row's new state: one transaction. */
export async function recordAudienceAttempt(
  claim: { id: string; destinationId: string },
  attempt: number,
  logs: ExchangeLog[],
  settled: AudienceSettled,
  now: Date,
): Promise<void> {
  const rows = logs.map((l) => ({
    log: l,
    exchange:
      l.request && l.exchange
        ? {
            id: randomUUID(),
            ...exchangeRow(
              { destinationId: claim.destinationId, method: l.request.method, request: l.request.log, ...l.exchange },
              1,
            ),
          }
        : null,
  }));
  const exchanges = rows.flatMap((r) => (r.exchange ? [r.exchange] : []));
  await db().$transaction([
    db().httpExchange.createMany({
      data: exchanges.map((x) => ({
        ...x,
        requestHeaders: asJson(x.requestHeaders)!,
        requestBody: asJson(x.requestBody),
        responseBody: asJson(x.responseBody),
        createdAt: now,
      })),
    }),
    db().audienceDeliveryAttempt.createMany({
      data: rows.map((r) => ({
        id: randomUUID(),
        deliveryId: claim.id,
        attempt,
        exchangeId: r.exchange?.id ?? null,
        outcome: r.log.outcome,
        reason: r.log.reason,
        createdAt: now,
      })),
    }),
    db().audienceDelivery.update({
      where: { id: claim.id },
      data: {
        status: settled.status,
        attempts: attempt,
        ...(settled.nextAttemptAt ? { nextAttemptAt: settled.nextAttemptAt } : {}),
        lastError: settled.status === "succeeded" ? null : settled.reason,
        ...(settled.status === "succeeded"
          ? { deliveredAt: now, members: settled.members, matchable: settled.matchable }
          : {}),
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
