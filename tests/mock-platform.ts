// A generic JSON receiver for engine tests (a fake module posts { events: [{ event_id }] }), built on
// the platform mocks' shared core: records requests, dedups by event id, injects faults on demand.
import { type Fault, isObject, startPlatformMock } from "./platform-mocks/core";

export type { Fault };

export interface MockPlatform {
  url: string;
  /** Every request body received, in order. */
  received: { events: { event_id: string }[] }[];
  /** Event ids sent more than once after being accepted. */
  resent: string[];
  faults: Fault[];
  close(): Promise<void>;
}

export async function startMockPlatform(): Promise<MockPlatform> {
  const mock = await startPlatformMock("generic", (r) => {
    const events = isObject(r.json) && Array.isArray(r.json.events) ? (r.json.events as { event_id: string }[]) : [];
    return {
      status: 200,
      body: { received: events.length, trace: "mock-trace" },
      accepted: events.map((e) => e.event_id),
    };
  });
  return {
    url: mock.url,
    get received() {
      return mock.received.map((r) => r.json as MockPlatform["received"][number]);
    },
    get resent() {
      return mock.duplicates();
    },
    get faults() {
      return mock.faults;
    },
    set faults(v: Fault[]) {
      mock.faults = v;
    },
    close: mock.close,
  };
}
