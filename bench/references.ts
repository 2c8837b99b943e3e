// The reference servers the ingest benchmark measures against, on the same machine in the
// same run: B1 parses the JSON and inserts one row per request with `pg` the plain way;
// B2 takes batches and inserts them with one multi-row INSERT.
import http from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

export async function startReference(databaseUrl: string, mode: "single" | "batch") {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  await pool.query(
    `CREATE TABLE IF NOT EXISTS bench_reference (event_id text PRIMARY KEY, payload jsonb NOT NULL, received_at timestamptz NOT NULL DEFAULT now())`,
  );
  const server = http.createServer((req, res) => {
    readJson(req)
      .then(async (body) => {
        if (mode === "single") {
          const e = body as { event_id: string };
          await pool.query(`INSERT INTO bench_reference (event_id, payload) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
            e.event_id,
            JSON.stringify(e),
          ]);
        } else {
          const items = (body as { batch: { event_id: string }[] }).batch;
          await pool.query(
            `INSERT INTO bench_reference (event_id, payload) SELECT * FROM unnest($1::text[], $2::jsonb[]) ON CONFLICT DO NOTHING`,
            [items.map((e) => e.event_id), items.map((e) => JSON.stringify(e))],
          );
        }
        res.writeHead(202, { "content-type": "application/json" }).end('{"status":"accepted"}');
      })
      .catch((error: unknown) => res.writeHead(500).end(String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await pool.query("DROP TABLE IF EXISTS bench_reference");
      await pool.end();
    },
  };
}
