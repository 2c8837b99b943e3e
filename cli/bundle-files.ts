// The bundle as files a repository holds, one source of truth per item:
//   tracklayer.yaml                      { version }
//   events/<canonical event>.schema.json  each canonical event's JSON Schema (2020-12)
//   mappings/<source>.yaml               that source's mappings, sorted by source event
// Written with sorted keys and a trailing newline, so pulling the same registry gives the same
// bytes and a Git diff shows only real changes. Pull replaces the files it owns (stale ones go).
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse, stringify } from "yaml";
import { CliError } from "./client";

export type Bundle = {
  version: number;
  canonical_events: Array<Record<string, unknown> & { title: string }>;
  mappings: Array<Record<string, unknown> & { source: string; source_event: string }>;
};

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => byText(a, b))
      .map(([k, v]) => [k, sortKeys(v)]),
  );
}

const yamlText = (value: unknown) => stringify(sortKeys(value), { lineWidth: 0 });

export function writeBundle(dir: string, bundle: Bundle) {
  rmSync(path.join(dir, "events"), { recursive: true, force: true });
  rmSync(path.join(dir, "mappings"), { recursive: true, force: true });
  mkdirSync(path.join(dir, "events"), { recursive: true });
  mkdirSync(path.join(dir, "mappings"), { recursive: true });
  writeFileSync(path.join(dir, "tracklayer.yaml"), yamlText({ version: bundle.version }));
  for (const event of bundle.canonical_events) {
    writeFileSync(
      path.join(dir, "events", `${event.title}.schema.json`),
      `${JSON.stringify(sortKeys(event), null, 2)}\n`,
    );
  }
  const bySource = new Map<string, Bundle["mappings"]>();
  for (const m of bundle.mappings) bySource.set(m.source, [...(bySource.get(m.source) ?? []), m]);
  for (const [source, list] of bySource) {
    const items = list
      .map(({ source: _, ...rest }) => rest)
      .sort((a, b) => byText(a.source_event as string, b.source_event as string));
    writeFileSync(path.join(dir, "mappings", `${source}.yaml`), yamlText({ source, mappings: items }));
  }
}

function files(dir: string, suffix: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith(suffix))
      .sort(byText);
  } catch {
    return [];
  }
}

function readText<T>(file: string, parseText: (text: string) => unknown): T {
  try {
    return parseText(readFileSync(file, "utf8")) as T;
  } catch (error) {
    throw new CliError(`${file}: ${(error as Error).message}`);
  }
}

export function readBundle(dir: string): Bundle {
  const meta = readText<{ version?: number } | null>(path.join(dir, "tracklayer.yaml"), parse);
  const events = files(path.join(dir, "events"), ".schema.json").map((f) =>
    readText<Bundle["canonical_events"][number]>(path.join(dir, "events", f), JSON.parse),
  );
  const mappings = files(path.join(dir, "mappings"), ".yaml").flatMap((f) => {
    const doc = readText<{ source?: string; mappings?: Record<string, unknown>[] } | null>(
      path.join(dir, "mappings", f),
      parse,
    );
    return (doc?.mappings ?? []).map((m) => ({ source: doc?.source, ...m }));
  });
  return sortKeys({ version: meta?.version, canonical_events: events, mappings }) as Bundle;
}
