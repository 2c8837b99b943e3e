// `tracklayer`: the registry as code. Exit codes a CI job can use: 0 ok (diff: no changes),
// 2 diff found changes, 1 an error or (validate) violations.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { cliEnv } from "@/lib/env";
import { type Bundle, readBundle, writeBundle } from "./bundle-files";
import { CliError, type Connection, call } from "./client";
import { jsonSchemaFiles, typescriptClient } from "./codegen";
import { type ApplyResult, type Plan, printApply, printPlan } from "./output";
import { validateExamples } from "./validate";

const USAGE = `Usage: tracklayer <command> [options]

Commands:
  pull                 write the workspace's registry to --dir (events/*.schema.json, mappings/*.yaml)
  diff                 plan --dir against the workspace; exit 0 no changes, 2 changes, 1 error
  push --reference R   apply --dir as drafts submitted for review (never approved)
  validate FILE...     check example events ({ event, properties }) against --dir's schemas; exit 1 on violations
  codegen --lang typescript|jsonschema --out PATH
  promote              plan (or with --reference, apply) one workspace's registry on another:
                       --from-token / --to-token (or TRACKLAYER_FROM_TOKEN / TRACKLAYER_TO_TOKEN),
                       --from-url / --to-url (default --url)

Options:
  --url URL            TrackLayer server (TRACKLAYER_URL; default http://localhost:3000)
  --token TOKEN        personal access token (TRACKLAYER_TOKEN)
  --dir DIR            the registry folder (default ./tracklayer)
  --json               machine-readable output
`;

const OPTIONS = {
  url: { type: "string" },
  token: { type: "string" },
  dir: { type: "string", default: "tracklayer" },
  json: { type: "boolean", default: false },
  reference: { type: "string" },
  lang: { type: "string" },
  out: { type: "string" },
  "from-token": { type: "string" },
  "to-token": { type: "string" },
  "from-url": { type: "string" },
  "to-url": { type: "string" },
  help: { type: "boolean", short: "h", default: false },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>["values"];

function connection(
  url: string | undefined,
  token: string | undefined,
  what = "--token or TRACKLAYER_TOKEN",
): Connection {
  if (!token) throw new CliError(`A personal access token is required: ${what}`);
  return { url: url ?? cliEnv().url ?? "http://localhost:3000", token };
}

const out = (line: string) => process.stdout.write(`${line}\n`);

async function run(command: string | undefined, files: string[], v: Values): Promise<number> {
  const env = cliEnv();
  const conn = () => connection(v.url, v.token ?? env.token);
  switch (command) {
    case "pull": {
      const bundle = await call<Bundle>(conn(), "GET", "/api/registry/export");
      writeBundle(v.dir, bundle);
      if (v.json)
        out(
          JSON.stringify({
            dir: v.dir,
            canonical_events: bundle.canonical_events.length,
            mappings: bundle.mappings.length,
          }),
        );
      else
        out(
          `Wrote ${bundle.canonical_events.length} canonical events and ${bundle.mappings.length} mappings to ${v.dir}`,
        );
      return 0;
    }
    case "diff": {
      const plan = await call<Plan>(conn(), "POST", "/api/registry/plan", readBundle(v.dir));
      if (v.json) out(JSON.stringify(plan, null, 2));
      else printPlan(plan, out);
      return plan.changes.length ? 2 : 0;
    }
    case "push": {
      if (!v.reference) throw new CliError("push needs --reference (a commit id or a pull request URL)");
      const result = await call<ApplyResult>(conn(), "POST", "/api/registry/apply", {
        reference: v.reference,
        bundle: readBundle(v.dir),
      });
      if (v.json) out(JSON.stringify(result, null, 2));
      else printApply(result, out);
      return 0;
    }
    case "promote": {
      const from = connection(
        v["from-url"] ?? v.url,
        v["from-token"] ?? env.fromToken,
        "--from-token or TRACKLAYER_FROM_TOKEN",
      );
      const to = connection(v["to-url"] ?? v.url, v["to-token"] ?? env.toToken, "--to-token or TRACKLAYER_TO_TOKEN");
      const bundle = await call<Bundle>(from, "GET", "/api/registry/export");
      if (!v.reference) {
        const plan = await call<Plan>(to, "POST", "/api/registry/plan", bundle);
        if (v.json) out(JSON.stringify(plan, null, 2));
        else printPlan(plan, out);
        return plan.changes.length ? 2 : 0;
      }
      const result = await call<ApplyResult>(to, "POST", "/api/registry/apply", { reference: v.reference, bundle });
      if (v.json) out(JSON.stringify(result, null, 2));
      else printApply(result, out);
      return 0;
    }
    case "validate": {
      if (files.length === 0) throw new CliError("validate needs one or more example event files");
      const { checked, violations } = validateExamples(readBundle(v.dir), files);
      if (v.json) out(JSON.stringify({ checked, violations }, null, 2));
      else {
        for (const x of violations) out(`✗ ${x.file}[${x.index}] ${x.event}: ${x.path} ${x.message}`);
        out(
          `${checked} example event${checked === 1 ? "" : "s"} checked, ${violations.length} violation${violations.length === 1 ? "" : "s"}`,
        );
      }
      return violations.length ? 1 : 0;
    }
    case "codegen": {
      const bundle = readBundle(v.dir);
      if (v.lang === "typescript") {
        const file = v.out ?? "tracklayer-client.ts";
        mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
        writeFileSync(file, typescriptClient(bundle));
        out(`Wrote ${file}`);
      } else if (v.lang === "jsonschema") {
        const dir = v.out ?? "tracklayer-schemas";
        mkdirSync(dir, { recursive: true });
        for (const [name, text] of Object.entries(jsonSchemaFiles(bundle))) writeFileSync(path.join(dir, name), text);
        out(`Wrote ${bundle.canonical_events.length} JSON Schemas to ${dir}`);
      } else {
        throw new CliError("codegen needs --lang typescript or --lang jsonschema");
      }
      return 0;
    }
    default:
      process.stdout.write(USAGE);
      return command === undefined || v.help ? 0 : 1;
  }
}

export async function main(argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
    const [command, ...files] = positionals;
    if (values.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    return await run(command, files, values);
  } catch (error) {
    const details = error instanceof CliError ? error.details : [];
    process.stderr.write(`tracklayer: ${(error as Error).message}\n`);
    for (const d of details) process.stderr.write(`  ${d}\n`);
    return 1;
  }
}
