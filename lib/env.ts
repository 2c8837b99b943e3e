// Environment: every variable TrackLayer reads, validated once with zod (see .env.example).
import { z } from "zod";

const optionalText = z.string().trim().min(1).optional();

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
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
