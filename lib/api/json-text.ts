// What every JSON body must satisfy besides its schema, checked once where bodies are parsed:
// valid UTF-8 (never silently replaced by U+FFFD) and no NUL character (PostgreSQL cannot store
// \u0000 in text or jsonb) in any key or value.
import { AppError, type FieldIssue } from "@/lib/errors";

const MAX_ISSUES = 20;
const printable = (key: string) => key.replaceAll("\u0000", "\\u0000");

/** The paths (a.b.0.c) of every key or string value holding U+0000 (at most 20). */
export function nulPaths(value: unknown): string[] {
  const found: string[] = [];
  // Iterative: a deeply nested body must not overflow the stack.
  const stack: [unknown, string][] = [[value, ""]];
  while (stack.length > 0 && found.length < MAX_ISSUES) {
    const [v, path] = stack.pop()!;
    if (typeof v === "string") {
      if (v.includes("\u0000")) found.push(path);
    } else if (v && typeof v === "object") {
      const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        const childPath = path ? `${path}.${printable(key)}` : printable(key);
        if (key.includes("\u0000")) found.push(childPath);
        else stack.push([child, childPath]);
      }
    }
  }
  return found;
}

/** Refuses (400 invalid_character, with field paths) a parsed body holding U+0000 anywhere. */
export function assertNoNul(value: unknown, what = "Request body"): void {
  const paths = nulPaths(value);
  if (paths.length === 0) return;
  const issues: FieldIssue[] = paths.map((path) => ({
    path,
    message: "must not contain the NUL character (\\u0000)",
    code: "invalid_character",
  }));
  throw new AppError(
    "invalid_character",
    `${what} contains the NUL character (\\u0000), which cannot be stored`,
    issues,
  );
}

/** JSON.parse with the rules above: 400 invalid_json when malformed, invalid_character for NUL. */
export function parseJsonText(text: string, { checkNul = true } = {}): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError("invalid_json", "Request body is not valid JSON");
  }
  // A NUL can only arrive escaped (a raw control character is not valid JSON): skip the walk otherwise.
  if (checkNul && text.includes("\\u0000")) assertNoNul(value);
  return value;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Decodes UTF-8 strictly: 400 invalid_encoding rather than storing U+FFFD in place of bad bytes. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new AppError("invalid_encoding", "Request body is not valid UTF-8");
  }
}

/** A JSON body's bytes to a value: strict UTF-8, then parseJsonText. */
export const parseJsonBytes = (bytes: Uint8Array, options?: { checkNul?: boolean }) =>
  parseJsonText(decodeUtf8(bytes), options);
