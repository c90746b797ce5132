// Environment, read and validated once. A missing or malformed variable stops start-up with a
// message that names it (and says what a good value looks like).
import { z } from "zod";
import { DEFAULT_DATABASE_URL } from "./db-target";
import { checkScopesAgainstAppToml } from "./app-toml-scopes.server";
import { log } from "./logger.server";

const commaList = z
  .string()
  .min(1)
  .transform((s) =>
    s
      .split(",")
      .map((x) => x.trim())
      .filter(Boolean),
  );

export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  SHOPIFY_API_KEY: z.string().min(1, "the app's client id from the Partner dashboard / shopify.app.toml"),
  SHOPIFY_API_SECRET: z.string().min(1, "the app's client secret"),
  SHOPIFY_APP_URL: z.string().url("an absolute https URL where Shopify reaches the app"),
  SCOPES: commaList,
  DATABASE_URL: z
    .string()
    .default(DEFAULT_DATABASE_URL)
    .refine((v) => /^(file:|postgres(ql)?:\/\/)/.test(v), "file:<path> for SQLite or postgresql://user@host:port/db"),
  // "inline" runs the outbox worker inside the web process (the embedded default);
  // "off" leaves it to separate `npm run worker` processes.
  WORKER_MODE: z.enum(["inline", "off"]).default("inline"),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  // `npm run worker` lowers its own CPU priority by this much (nice, 0-19): beside web processes on
  // the same machine, answering Shopify comes first and applying catches up (docs/decisions/010).
  WORKER_NICE: z.coerce.number().int().min(0).max(19).default(10),
  LOG_LEVEL: z.enum(["error", "warn", "info", "debug"]).default("info"),
  // Offline access tokens live 60 minutes; each is renewed this long before it expires
  // (app/shopify/offline-token.server.ts). Tests use a second or two with tokens that live seconds.
  OFFLINE_TOKEN_REFRESH_MARGIN_SECONDS: z.coerce.number().min(0.1).max(3000).default(600),
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new EnvError(`Invalid environment (see .env.example):\n${lines.join("\n")}`);
  }
  return result.data;
}

/** SCOPES against `<appDir>/shopify.app.toml` (app/platform/app-toml-scopes.server.ts), as an EnvError when they differ. */
export function checkAppTomlScopes(parsed: Env, appDir: string): void {
  let check;
  try {
    check = checkScopesAgainstAppToml(parsed.SCOPES, appDir);
  } catch (error) {
    throw new EnvError(`Invalid environment (see .env.example):\n  ${(error as Error).message}`);
  }
  if (!check.checked) log.warn(check.reason);
}

let cached: Env | undefined;
/** The environment, validated once; the app is started from its root, where shopify.app.toml lives. */
export function env(): Env {
  if (!cached) {
    const parsed = parseEnv(process.env);
    checkAppTomlScopes(parsed, process.cwd());
    cached = parsed;
  }
  return cached;
}
