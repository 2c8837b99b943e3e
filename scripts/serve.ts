// The HTTP server behind `npm start`: Next.js's request handler behind one step of our own, which
// sets the client address from the socket (and TRACKLAYER_TRUSTED_PROXIES) so a client cannot pick
// the address its sign-in attempts are throttled under. Run by scripts/start.ts.
//
// Idle keep-alive connections stay open for 65 s, not Node's 5 s: a client (an SDK's connection pool,
// a load balancer with a 60 s idle timeout) that reuses a connection just as the server closes it gets
// ECONNRESET on a request the server never read — a capture lost to the client unless it retries.
// Clients close their idle connections first, as they expect to; headers must still arrive in time.
import { createServer } from "node:http";
import next from "next";
import { env } from "@/lib/env";
import { withClientAddress } from "@/lib/runtime/client-address";

const KEEP_ALIVE_MS = 65_000;
const dev = process.argv.includes("--dev");
const { PORT: port, TRACKLAYER_TRUSTED_PROXIES: trustedProxies } = env();

const app = next({ dev, port, hostname: "localhost" });
await app.prepare();
const server = createServer(withClientAddress(app.getRequestHandler(), trustedProxies));
server.keepAliveTimeout = KEEP_ALIVE_MS;
server.headersTimeout = KEEP_ALIVE_MS + 1_000;
server.listen(port, () => {
  console.log(`> TrackLayer listening on http://localhost:${port} (${dev ? "development" : "production"})`);
});
