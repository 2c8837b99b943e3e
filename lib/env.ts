// Environment: every variable TrackLayer reads, validated once with zod (see .env.example).
import { existsSync } from "node:fs";
import { z } from "zod";

const optionalText = z.string().trim().min(1).optional();

/** A positive whole number with a default; an empty variable counts as unset. */
const whole = (fallback: number, min: number, max: number) =>
  z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().int().min(min).max(max).default(fallback));

/** The delivery worker's settings (lib/worker/settings.ts turns them into options). */
const workerSchema = z.object({
  /** `off`: the server runs no in-process worker (PostgreSQL deployments running `npm run worker`). */
  TRACKLAYER_WORKER: z.enum(["on", "off"]).default("on"),
  /** Outbox rows claimed per pass. */
  TRACKLAYER_WORKER_BATCH_SIZE: whole(500, 1, 10_000),
  /** How long a claim is held: a killed worker's rows are claimable again after this. */
  TRACKLAYER_WORKER_LEASE_MS: whole(60_000, 1_000, 3_600_000),
  /** Destinations a worker sends to at once. */
  TRACKLAYER_WORKER_CONCURRENCY: whole(8, 1, 256),
  /** How long a retention tick keeps deleting batches of what workspaces keep shorter (at least one batch each). */
  TRACKLAYER_RETENTION_BUDGET_MS: whole(10_000, 0, 600_000),
  TRACKLAYER_DELIVERY_MAX_ATTEMPTS: whole(12, 1, 100),
  TRACKLAYER_DELIVERY_BASE_DELAY_MS: whole(2_000, 1, 3_600_000),
});

const flag = z
  .enum(["true", "false", "1", "0", ""], { error: "must be true or false" })
  .optional()
  .transform((v) => v === "true" || v === "1");

/** Comma-separated host names ("api.example.com", "*.example.com", "127.0.0.1", "[::1]"), lower-cased. */
const hostList = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? "")
      .split(",")
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
  )
  .refine((hosts) => hosts.every((h) => /^(\*\.)?[a-z0-9.-]+$|^\[[0-9a-f:.]+\]$/.test(h)), {
    message: 'must be comma-separated host names without scheme or port, e.g. "api.example.com,*.corp.example"',
  });

/** What outgoing destination requests may reach (lib/delivery/outbound). */
const networkSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** Lets destinations reach private, loopback and link-local addresses (local mock servers); off by default. */
  TRACKLAYER_ALLOW_PRIVATE_NETWORK: flag,
  /** Hosts a destination's own base_url / token_url may point at in production, besides the platform's. */
  TRACKLAYER_ALLOWED_DESTINATION_HOSTS: hostList,
});

const envSchema = networkSchema.extend(workerSchema.shape).extend({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DATABASE_URL: z
    .string()
    .trim()
    .optional()
    .refine((v) => !v || !/^[a-z]+:\/\//i.test(v) || /^postgres(ql)?:\/\//i.test(v), {
      message: "must be a postgres:// URL or a directory path for the embedded database",
    }),
  TRACKLAYER_DATA_DIR: z.string().trim().min(1).default(".data"),
  NEXTAUTH_SECRET: z.string().min(32, "must be at least 32 characters (npm start generates one)"),
  NEXTAUTH_URL: z.url().optional(),
  TRACKLAYER_ENCRYPTION_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}=$/, "must be 32 bytes in base64 (openssl rand -base64 32)")
    .optional(),
  TRACKLAYER_ADMIN_EMAIL: z.email().optional(),
  TRACKLAYER_ADMIN_PASSWORD: z.string().min(10, "must be at least 10 characters").optional(),
  // Sign-in throttling: attempts per account and per client address within the window; a
  // throttled account or address waits out the rest of the window (Retry-After).
  TRACKLAYER_LOGIN_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(10),
  TRACKLAYER_LOGIN_MAX_ATTEMPTS_PER_ADDRESS: z.coerce.number().int().min(1).default(100),
  TRACKLAYER_LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
  // Reverse proxies in front of the server that append X-Forwarded-For; 0 = clients connect directly
  // and any X-Forwarded-For they send is ignored.
  TRACKLAYER_TRUSTED_PROXIES: z.coerce.number().int().min(0).max(10).default(0),
  // Outgoing e-mail (invitations, password resets): smtp://user:pass@host:587 or smtps://…:465.
  // Without it invitation links are shown to the admin to pass on.
  SMTP_URL: z
    .string()
    .trim()
    .regex(/^smtps?:\/\//i, "must be an smtp:// or smtps:// URL")
    .optional(),
  SMTP_FROM: optionalText,
  GITHUB_ID: optionalText,
  GITHUB_SECRET: optionalText,
  GOOGLE_CLIENT_ID: optionalText,
  GOOGLE_CLIENT_SECRET: optionalText,
});

const PAIRS = [
  ["GITHUB_ID", "GITHUB_SECRET"],
  ["GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET"],
  ["SMTP_URL", "SMTP_FROM"],
] as const;

/** OAuth and SMTP settings come in pairs: one without the other is a mistake worth naming. */
function pairIssues(raw: NodeJS.ProcessEnv): string[] {
  return PAIRS.flatMap(([id, secret]) =>
    Boolean(raw[id]) === Boolean(raw[secret])
      ? []
      : [raw[id] ? `  ${secret}: is required with ${id}` : `  ${id}: is required with ${secret}`],
  );
}

export type Env = z.infer<typeof envSchema>;
export type NetworkEnv = z.infer<typeof networkSchema>;

/**
 * The outgoing-network settings alone (validated with the same schema as env()), read afresh on each
 * call: workers and tests need them without the web server's variables.
 */
export function networkEnv(): NetworkEnv {
  const parsed = networkSchema.safeParse(process.env);
  if (!parsed.success)
    throw new Error(
      `Invalid environment:\n${parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n")}`,
    );
  return parsed.data;
}

let cached: Env | undefined;

/** Parses process.env; throws one readable line per bad variable. */
export function env(): Env {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  const lines = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => `  ${i.path.join(".") || "(env)"}: ${i.message}`)),
    ...pairIssues(process.env),
  ];
  if (!parsed.success || lines.length) throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  cached = parsed.data;
  return cached;
}

export type WorkerEnv = z.infer<typeof workerSchema>;

let cachedWorker: WorkerEnv | undefined;

/**
 * The worker's variables alone (tests and scripts that never need the session secret); `env()`
 * validates them too, so a bad one is named at start.
 */
export function workerEnv(): WorkerEnv {
  if (cachedWorker) return cachedWorker;
  const parsed = workerSchema.safeParse(process.env);
  if (!parsed.success)
    throw new Error(
      `Invalid environment:\n${parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n")}`,
    );
  cachedWorker = parsed.data;
  return cachedWorker;
}

/** Where the database is, read afresh each time (tests and scripts set these before opening it). */
export function databaseLocation(): { url: string | undefined; dataDir: string } {
  return { url: process.env.DATABASE_URL, dataDir: process.env.TRACKLAYER_DATA_DIR || ".data" };
}

/** DATABASE_URL names a PostgreSQL server (else the embedded database is used). */
export function usesPostgres(): boolean {
  return /^postgres(ql)?:\/\//i.test(process.env.DATABASE_URL ?? "");
}

/** The port the server listens on (before validation: scripts print it). */
export function serverPort(): string {
  return process.env.PORT || "3000";
}

/** The public URL the dashboard is served at (set by prepareLocalEnv for a local install). */
export function publicUrl(): string {
  return process.env.NEXTAUTH_URL ?? `http://localhost:${serverPort()}`;
}

/** The variables a child process (next build / next start) inherits, with `extra` on top. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...extra };
}

/** Loads `.env` into the environment (variables already set win). */
export function loadDotEnv(): void {
  if (existsSync(".env")) process.loadEnvFile(".env");
}

/** Sets every listed variable that is still unset to `make(name)`. */
export function setEnvDefaults(names: string[], make: (name: string) => string): void {
  for (const name of names) process.env[name] ||= make(name);
}

/** The key destination credentials are encrypted with (read afresh: tests set it before first use). */
export function encryptionKey(): string | undefined {
  return process.env.TRACKLAYER_ENCRYPTION_KEY;
}

/**
 * The operator's platform URL overrides, TRACKLAYER_<TYPE>_BASE_URL and TRACKLAYER_<PROVIDER>_TOKEN_URL (tests
 * and staging point destinations at local servers), read afresh: tests set them before first use.
 */
export function urlOverrides(): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) => /^TRACKLAYER_[A-Z0-9_]+_(BASE|TOKEN)_URL$/.test(name)),
  );
}

/** The `tracklayer` CLI's settings: server URL and personal access tokens (flags override them). */
export function cliEnv() {
  return {
    url: process.env.TRACKLAYER_URL || undefined,
    token: process.env.TRACKLAYER_TOKEN || undefined,
    fromToken: process.env.TRACKLAYER_FROM_TOKEN || undefined,
    toToken: process.env.TRACKLAYER_TO_TOKEN || undefined,
  };
}
