// The HTTP server behind `npm start`: Next.js's request handler behind one step of our own, which
// sets the client address from the socket (and TRACKLAYER_TRUSTED_PROXIES) so a client cannot pick
// the address its sign-in attempts are throttled under. Run by scripts/start.ts.
import { createServer } from "node:http";
import next from "next";
import { env } from "@/lib/env";
import { withClientAddress } from "@/lib/runtime/client-address";

const dev = process.argv.includes("--dev");
const { PORT: port, TRACKLAYER_TRUSTED_PROXIES: trustedProxies } = env();

const app = next({ dev, port, hostname: "localhost" });
await app.prepare();
createServer(withClientAddress(app.getRequestHandler(), trustedProxies)).listen(port, () => {
  console.log(`> TrackLayer listening on http://localhost:${port} (${dev ? "development" : "production"})`);
});
