// Where TrackLayer may send: every request to a destination, an audience platform, an OAuth token
// endpoint or Heap goes through guardedFetch. The host name is resolved, every address it resolves to
// is checked (ipaddr.js), and the connection is made to the checked address itself, so a private,
// loopback, link-local or metadata target is refused and DNS rebinding cannot slip one in between.
// A destination's own URL overrides (base_url, token_url) must also point at the platform's host, or at a
// host the operator allowed, in production.
import dns from "node:dns";
import net from "node:net";
import ipaddr from "ipaddr.js";
import { Agent, buildConnector, type RequestInit as UndiciRequestInit, fetch as undiciFetch } from "undici";
import { type NetworkEnv, networkEnv } from "@/lib/env";
import { processGlobal } from "@/lib/process-global";

/** A request TrackLayer will not make: a setting to fix, never a failure to retry. */
export class OutboundRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OutboundRefused";
  }
}

/** The OutboundRefused behind an error (fetch wraps connection errors in `cause`), or null. */
export function refusalOf(error: unknown): OutboundRefused | null {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++)
    if (e instanceof OutboundRefused) return e;
  return null;
}

/** Cloud metadata and host endpoints: refused even when private networks are allowed. */
const METADATA = new Set(["169.254.169.254", "169.254.170.2", "100.100.100.200", "168.63.129.16", "fd00:ec2::254"]);

const RANGE_NAMES: Record<string, string> = {
  loopback: "loopback",
  private: "private",
  linkLocal: "link-local",
  uniqueLocal: "unique-local",
  unspecified: "unspecified",
  carrierGradeNat: "carrier-grade NAT",
};

export interface AddressPolicy {
  /** TRACKLAYER_ALLOW_PRIVATE_NETWORK: private, loopback and link-local addresses are reachable (metadata never). */
  allowPrivateNetwork: boolean;
}

/** What kind of address this is when it may not be reached ("a loopback address"), or null when it may. */
export function addressRefusal(address: string, policy: AddressPolicy): string | null {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.process(address); // IPv4-mapped IPv6 (::ffff:127.0.0.1) becomes the IPv4 address
  } catch {
    return "not an IP address";
  }
  if (METADATA.has(ip.toString())) return "a cloud metadata address";
  const range = ip.range();
  if (range === "unicast" || policy.allowPrivateNetwork) return null;
  return `a ${RANGE_NAMES[range] ?? `non-public (${range})`} address`;
}

function refused(target: string): OutboundRefused {
  return new OutboundRefused(
    `refused to connect to ${target}; destinations may only reach public addresses ` +
      "(TRACKLAYER_ALLOW_PRIVATE_NETWORK=true allows private networks, e.g. local test servers)",
  );
}

type LookupCallback = (error: Error | null, address: string | dns.LookupAddress[], family?: number) => void;

/** dns.lookup that fails when any address of the name is refused; the socket connects to what it returns. */
function guardedLookup(policy: AddressPolicy) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      for (const { address } of addresses) {
        const reason = addressRefusal(address, policy);
        if (reason) return callback(refused(`${hostname}: it resolves to ${address}, ${reason}`), []);
      }
      if (options.all) return callback(null, addresses);
      const [first] = addresses;
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }), []);
      callback(null, first.address, first.family);
    });
  };
}

/** undici's connector with the guarded lookup; IP literals (which skip lookup) are checked here. */
function guardedConnector(policy: AddressPolicy): buildConnector.connector {
  const connect = buildConnector({ lookup: guardedLookup(policy) } as buildConnector.BuildOptions);
  return (options, callback) => {
    const host = options.hostname.replace(/^\[|\]$/g, "");
    const reason = net.isIP(host) ? addressRefusal(host, policy) : null;
    if (reason) return callback(refused(`${options.hostname}: ${reason}`), null);
    connect(options, callback);
  };
}

const fetchers = processGlobal("__tracklayerOutbound", () => new Map<boolean, typeof fetch>());

/** A fetch that only reaches the addresses the policy allows. */
export function createGuardedFetch(policy: AddressPolicy): typeof fetch {
  const cached = fetchers.get(policy.allowPrivateNetwork);
  if (cached) return cached;
  const dispatcher = new Agent({ connect: guardedConnector(policy) });
  const guarded = ((input: string | URL, init?: RequestInit) =>
    undiciFetch(input, { ...(init as UndiciRequestInit), dispatcher })) as unknown as typeof fetch;
  fetchers.set(policy.allowPrivateNetwork, guarded);
  return guarded;
}

/** The fetch every outgoing destination request uses, with the operator's TRACKLAYER_ALLOW_PRIVATE_NETWORK. */
export const guardedFetch: typeof fetch = (input, init) =>
  createGuardedFetch({ allowPrivateNetwork: networkEnv().TRACKLAYER_ALLOW_PRIVATE_NETWORK })(input, init);

function hostAllowed(hostname: string, allowList: string[]): boolean {
  const host = hostname.toLowerCase();
  return allowList.some((entry) => (entry.startsWith("*.") ? host.endsWith(entry.slice(1)) : host === entry));
}

/**
 * Why a destination's own URL setting (`field`, e.g. config.base_url) may not be used, or null: in production it
 * must point at one of the platform's hosts (`official` URLs) or a host in TRACKLAYER_ALLOWED_DESTINATION_HOSTS.
 */
export function overrideRefusal(
  url: string,
  official: (string | undefined)[],
  field: string,
  settings: Pick<NetworkEnv, "NODE_ENV" | "TRACKLAYER_ALLOWED_DESTINATION_HOSTS"> = networkEnv(),
): string | null {
  if (settings.NODE_ENV !== "production") return null;
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return `${field} is not a URL`;
  }
  const officialHosts = official.flatMap((u) => (u ? [new URL(u).hostname.toLowerCase()] : []));
  if (officialHosts.includes(host) || hostAllowed(host, settings.TRACKLAYER_ALLOWED_DESTINATION_HOSTS)) return null;
  return (
    `${field} points at ${host}, not the platform's host (${officialHosts.join(", ")}); ` +
    `an operator may allow it in TRACKLAYER_ALLOWED_DESTINATION_HOSTS`
  );
}
