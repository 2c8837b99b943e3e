// One POST to a channel's endpoint through the outbound guard; a non-2xx answer or a refused target is a ChannelError.
import { guardedFetch, refusalOf } from "@/lib/delivery/outbound";
import { ChannelError, type SendOptions } from "./types";

export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  opts: SendOptions,
): Promise<void> {
  let response: Response;
  try {
    response = await (opts.fetchImpl ?? guardedFetch)(url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "TrackLayer-Alerts/1", ...headers },
      body,
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    const refusal = refusalOf(error);
    throw new ChannelError(refusal ? refusal.message : `unreachable: ${(error as Error).message}`);
  }
  const text = await response.text().catch(() => "");
  if (!response.ok) throw new ChannelError(`HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ""}`);
}
