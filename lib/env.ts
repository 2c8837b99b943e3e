// Environment: every variable TrackLayer reads, validated once with zod (see .env.example).
import { z } from "zod";

const optionalText = z.string().trim().min(1).optional();

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

const envSchema = networkSchema.extend({
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
  GITHUB_ID: optionalText,
  GITHUB_SECRET: optionalText,
  GOOGLE_CLIENT_ID: optionalText,
  GOOGLE_CLIENT_SECRET: optionalText,
});

const PAIRS = [
  ["GITHUB_ID", "GITHUB_SECRET"],
  ["GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET"],
] as const;

/** OAuth settings come in pairs: one without the other is a mistake worth naming. */
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
