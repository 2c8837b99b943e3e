// The computed-trait rule language: a small explicit grammar, parsed by recursive descent (no eval).
//
//   rule     := or
//   or       := and  ( ("or" | "||")  and )*
//   and      := unary ( ("and" | "&&") unary )*
//   unary    := ("not" | "!") unary | compare
//   compare  := primary ( ("==" | "!=" | ">=" | "<=" | ">" | "<") primary )?
//   primary  := NUMBER | STRING | "true" | "false" | "null" | "(" rule ")"
//             | "count" "(" EVENT "," WINDOW ")"       count of a canonical event in the last WINDOW
//             | NAME                                   see below
//   NAME     := IDENT ("." IDENT)*
//   WINDOW   := DIGITS ("d" | "h")                     at most 365d
//
// A NAME is `match_quality` (the built-in score), `<event>_<window>` (shorthand for count, e.g.
// `purchases_30d`), `traits.<path>` or a bare trait name (`plan`, `address.country`).
export const MAX_RULE_LENGTH = 500;
export const MAX_WINDOW_MS = 365 * 24 * 3_600_000;
const MAX_DEPTH = 20;

export type CompareOp = "==" | "!=" | ">=" | "<=" | ">" | "<";
export type Literal = string | number | boolean | null;

export type RuleNode =
  | { kind: "literal"; value: Literal }
  | { kind: "trait"; path: string[] }
  | { kind: "match_quality" }
  /** `event` as written; the definition step resolves it against the canonical events (purchases → purchase). */
  | { kind: "count"; event: string; window: string; windowMs: number; at: number }
  | { kind: "compare"; op: CompareOp; left: RuleNode; right: RuleNode }
  | { kind: "and" | "or"; left: RuleNode; right: RuleNode }
  | { kind: "not"; operand: RuleNode };

/** A problem in a rule, with where it is; the message ends with the 1-based column. */
export class RuleError extends Error {
  constructor(
    message: string,
    /** 0-based character offset in the rule. */
    readonly at: number,
  ) {
    super(`${message} (at column ${at + 1})`);
    this.name = new.target.name;
  }
}

export class RuleSyntaxError extends RuleError {}

type TokenKind = "number" | "string" | "window" | "ident" | "op" | "punct" | "end";
interface Token {
  kind: TokenKind;
  text: string;
  at: number;
  value?: Literal;
}

const WORD_OPS: Record<string, string> = { "&&": "and", "||": "or", "!": "not" };
const TOKEN =
  /\s*(?:(\d+[dh])(?![A-Za-z0-9_])|(-?\d+(?:\.\d+)?)(?![A-Za-z0-9_])|("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|([A-Za-z_][A-Za-z0-9_]*)|(==|!=|>=|<=|&&|\|\||[<>!])|([().,]))/y;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < source.length) {
    if (/^\s*$/.test(source.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(source);
    if (!m) {
      const at = pos + (source.slice(pos).length - source.slice(pos).trimStart().length);
      const ch = source[at] ?? "";
      throw new RuleSyntaxError(ch === '"' || ch === "'" ? "unterminated string" : `unexpected character "${ch}"`, at);
    }
    const at = m.index + m[0].length - m[0].trimStart().length;
    const [, win, num, str, ident, op, punct] = m;
    if (win) tokens.push({ kind: "window", text: win, at });
    else if (num) tokens.push({ kind: "number", text: num, at, value: Number(num) });
    else if (str) tokens.push({ kind: "string", text: str, at, value: str.slice(1, -1).replace(/\\(.)/g, "$1") });
    else if (ident) tokens.push({ kind: "ident", text: ident, at });
    else if (op) tokens.push(WORD_OPS[op] ? { kind: "ident", text: WORD_OPS[op]!, at } : { kind: "op", text: op, at });
    else tokens.push({ kind: "punct", text: punct!, at });
    pos = TOKEN.lastIndex;
  }
  tokens.push({ kind: "end", text: "end of rule", at: source.length });
  return tokens;
}

const KEYWORDS = new Set(["and", "or", "not", "true", "false", "null", "count"]);
const SHORTHAND = /^([a-z][a-z0-9_]*?)_(\d+[dh])$/;

export function windowMs(window: string, at: number): number {
  const n = Number(window.slice(0, -1));
  const ms = n * (window.endsWith("d") ? 24 : 1) * 3_600_000;
  if (n < 1) throw new RuleSyntaxError(`window ${window} must be at least 1h`, at);
  if (ms > MAX_WINDOW_MS) throw new RuleSyntaxError(`window ${window} is longer than 365d`, at);
  return ms;
}

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.i]!;
  }
  private next(): Token {
    return this.tokens[this.i++]!;
  }
  private isWord(word: string) {
    const t = this.peek();
    return t.kind === "ident" && t.text === word;
  }
  private expect(kind: TokenKind, text: string | undefined, what: string): Token {
    const t = this.peek();
    if (t.kind !== kind || (text !== undefined && t.text !== text))
      throw new RuleSyntaxError(`expected ${what} but found ${describe(t)}`, t.at);
    return this.next();
  }

  parseRule(): RuleNode {
    const node = this.or();
    const t = this.peek();
    if (t.kind !== "end")
      throw new RuleSyntaxError(`expected "and", "or" or the end of the rule but found ${describe(t)}`, t.at);
    return node;
  }

  private or(): RuleNode {
    if (++this.depth > MAX_DEPTH)
      throw new RuleSyntaxError(`rule nests deeper than ${MAX_DEPTH} levels`, this.peek().at);
    let left = this.and();
    while (this.isWord("or")) {
      this.next();
      left = { kind: "or", left, right: this.and() };
    }
    this.depth--;
    return left;
  }

  private and(): RuleNode {
    let left = this.unary();
    while (this.isWord("and")) {
      this.next();
      left = { kind: "and", left, right: this.unary() };
    }
    return left;
  }

  private unary(): RuleNode {
    if (this.isWord("not")) {
      this.next();
      if (++this.depth > MAX_DEPTH)
        throw new RuleSyntaxError(`rule nests deeper than ${MAX_DEPTH} levels`, this.peek().at);
      const operand = this.unary();
      this.depth--;
      return { kind: "not", operand };
    }
    const left = this.primary();
    if (this.peek().kind !== "op" || this.peek().text === "!") return left;
    const op = this.next().text as CompareOp;
    return { kind: "compare", op, left, right: this.primary() };
  }

  private primary(): RuleNode {
    const t = this.peek();
    if (t.kind === "number" || t.kind === "string") {
      this.next();
      return { kind: "literal", value: t.value! };
    }
    if (t.kind === "window")
      throw new RuleSyntaxError(
        `a window like ${t.text} belongs inside count(event, ${t.text}) or a name like purchases_${t.text}`,
        t.at,
      );
    if (t.kind === "punct" && t.text === "(") {
      this.next();
      const inner = this.or();
      this.expect("punct", ")", '")"');
      return inner;
    }
    if (t.kind !== "ident" || ["and", "or", "not"].includes(t.text))
      throw new RuleSyntaxError(`expected a value, a trait or an event count but found ${describe(t)}`, t.at);
    this.next();
    if (t.text === "true" || t.text === "false") return { kind: "literal", value: t.text === "true" };
    if (t.text === "null") return { kind: "literal", value: null };
    if (t.text === "count") return this.count(t);
    return this.name(t);
  }

  private count(start: Token): RuleNode {
    this.expect("punct", "(", '"(" after count');
    const event = this.expect("ident", undefined, "a canonical event name");
    this.expect("punct", ",", '"," after the event name');
    const window = this.expect("window", undefined, "a window such as 30d or 12h");
    this.expect("punct", ")", '")"');
    return {
      kind: "count",
      event: event.text,
      window: window.text,
      windowMs: windowMs(window.text, window.at),
      at: start.at,
    };
  }

  private name(first: Token): RuleNode {
    const path = [first.text];
    while (this.peek().kind === "punct" && this.peek().text === ".") {
      this.next();
      path.push(this.expect("ident", undefined, 'a name after "."').text);
    }
    if (path[0] === "traits") {
      if (path.length === 1) throw new RuleSyntaxError('"traits" needs a trait name, e.g. traits.plan', first.at);
      return { kind: "trait", path: path.slice(1) };
    }
    if (path.length === 1 && first.text === "match_quality") return { kind: "match_quality" };
    const shorthand = path.length === 1 ? SHORTHAND.exec(first.text) : null;
    if (shorthand)
      return {
        kind: "count",
        event: shorthand[1]!,
        window: shorthand[2]!,
        windowMs: windowMs(shorthand[2]!, first.at),
        at: first.at,
      };
    if (KEYWORDS.has(first.text)) throw new RuleSyntaxError(`"${first.text}" is a keyword`, first.at);
    return { kind: "trait", path };
  }
}

function describe(t: Token): string {
  return t.kind === "end" ? "the end of the rule" : `"${t.text}"`;
}

/** Parses a rule into its syntax tree; throws RuleSyntaxError with the column of the problem. */
export function parseRule(source: string): RuleNode {
  if (!source.trim()) throw new RuleSyntaxError("the rule is empty", 0);
  if (source.length > MAX_RULE_LENGTH)
    throw new RuleSyntaxError(`the rule is longer than ${MAX_RULE_LENGTH} characters`, MAX_RULE_LENGTH);
  return new Parser(tokenize(source)).parseRule();
}

/** Every event count a rule needs, once each. */
export function countsIn(node: RuleNode): Extract<RuleNode, { kind: "count" }>[] {
  switch (node.kind) {
    case "count":
      return [node];
    case "compare":
    case "and":
    case "or":
      return [...countsIn(node.left), ...countsIn(node.right)];
    case "not":
      return countsIn(node.operand);
    default:
      return [];
  }
}
