// The HTTP server itself, below any route: how it treats the connections clients keep open.
import { once } from "node:events";
import { connect } from "node:net";
import { expect, test } from "@playwright/test";

test("a keep-alive connection idle for 6 s is still open: a client reusing it is answered, not reset", async ({
  baseURL,
}) => {
  const { hostname, port } = new URL(baseURL!);
  const socket = connect(Number(port), hostname);
  let received = "";
  let closedAt: number | null = null;
  socket.on("data", (chunk) => (received += chunk.toString()));
  socket.on("end", () => (closedAt ??= Date.now()));
  socket.on("close", () => (closedAt ??= Date.now()));
  const answers = () => received.match(/^HTTP\/1\.1 \d{3}/gm) ?? [];
  const ask = async () => {
    const before = answers().length;
    socket.write(`GET /api/health HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: keep-alive\r\n\r\n`);
    await expect.poll(() => answers().length, { timeout: 10_000 }).toBe(before + 1);
  };
  await once(socket, "connect");
  await ask();
  const idleFrom = Date.now();
  // Node's default (5 s) closed it here, racing any client that reused the connection then.
  await new Promise((resolve) => setTimeout(resolve, 6_000));
  expect(closedAt, `the server closed the idle connection after ${(closedAt ?? 0) - idleFrom} ms`).toBeNull();
  await ask();
  expect(answers()).toEqual(["HTTP/1.1 200", "HTTP/1.1 200"]);
  socket.destroy();
});
