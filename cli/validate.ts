// `tracklayer validate`: example events (JSON or YAML files, one event or a list, each
// { event, properties }) checked against the bundle's JSON Schemas with ajv (draft 2020-12).
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { parse } from "yaml";
import type { Bundle } from "./bundle-files";
import { CliError } from "./client";

export interface Violation {
  file: string;
  index: number;
  event: string;
  path: string;
  message: string;
}

export function validateExamples(bundle: Bundle, files: string[]): { checked: number; violations: Violation[] } {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const validators = new Map(bundle.canonical_events.map((doc) => [doc.title, ajv.compile(doc)]));
  const violations: Violation[] = [];
  let checked = 0;
  for (const file of files) {
    let content: unknown;
    try {
      content = parse(readFileSync(file, "utf8"));
    } catch (error) {
      throw new CliError(`${file}: ${(error as Error).message}`);
    }
    const examples = Array.isArray(content) ? content : [content];
    examples.forEach((example: { event?: unknown; properties?: unknown } | null, index) => {
      checked++;
      const event = String(example?.event ?? "");
      const validate = validators.get(event);
      if (!validate) {
        violations.push({ file, index, event, path: "event", message: `no canonical event "${event}" in the plan` });
      } else if (!validate(example?.properties ?? {})) {
        for (const e of validate.errors ?? []) {
          const at = e.instancePath ? `properties${e.instancePath.replaceAll("/", ".")}` : "properties";
          violations.push({ file, index, event, path: at, message: e.message ?? "is invalid" });
        }
      }
    });
  }
  return { checked, violations };
}
