// SCOPES must name the same scopes as shopify.app.toml's [access_scopes]. Shopify installs the app with
// the toml's scopes (Shopify-managed installation, pushed by `shopify app deploy`); SCOPES is what the
// app itself believes it has (shopify-app-remix puts it in install and scope-request URLs). When the two
// drift, the app starts fine and its Admin calls fail later in background jobs with ACCESS_DENIED,
// so start-up stops instead. `shopify app dev` sets SCOPES from the toml; a production host sets it by
// hand, which is where it drifts. See docs/decisions/013-shopify-cli-and-scopes.md.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";
import { z } from "zod";

export const APP_TOML_FILE = "shopify.app.toml";

const appTomlScopes = z.object({ access_scopes: z.object({ scopes: z.string() }) });

/** The scopes a shopify.app.toml declares, as a sorted set. Throws with the file's problem when unreadable. */
export function scopesOfAppToml(tomlText: string): string[] {
  let document: unknown;
  try {
    document = parse(tomlText);
  } catch (error) {
    throw new Error(`${APP_TOML_FILE} is not valid TOML: ${(error as Error).message.split("\n")[0]}`);
  }
  const result = appTomlScopes.safeParse(document);
  if (!result.success) throw new Error(`${APP_TOML_FILE} has no [access_scopes] scopes = "..." string`);
  return scopeSet(result.data.access_scopes.scopes.split(","));
}

function scopeSet(scopes: readonly string[]): string[] {
  return [...new Set(scopes.map((s) => s.trim()).filter(Boolean))].sort();
}

/** Null when the two name the same scopes (order, spacing and repeats aside); else what to fix. */
export function scopesMismatch(envScopes: readonly string[], tomlScopes: readonly string[]): string | null {
  const fromEnv = scopeSet(envScopes);
  const fromToml = scopeSet(tomlScopes);
  const missing = fromToml.filter((s) => !fromEnv.includes(s));
  const extra = fromEnv.filter((s) => !fromToml.includes(s));
  if (missing.length === 0 && extra.length === 0) return null;
  return [
    `SCOPES does not match ${APP_TOML_FILE} [access_scopes] scopes (Shopify grants the toml's scopes on install):`,
    ...(missing.length ? [`  missing from SCOPES: ${missing.join(", ")}`] : []),
    ...(extra.length ? [`  in SCOPES but not in ${APP_TOML_FILE}: ${extra.join(", ")}`] : []),
    `  set SCOPES=${fromToml.join(",")} (or change the toml and run \`shopify app deploy\`)`,
  ].join("\n");
}

export type AppTomlScopesCheck = { checked: true } | { checked: false; reason: string };

/**
 * Compares SCOPES with `<appDir>/shopify.app.toml`. Throws (the message says what to set) when they
 * differ or the toml cannot be read. A deployment that does not ship the toml is not stopped: the toml
 * is the CLI's configuration, not something the server needs, so the check is skipped and said so.
 */
export function checkScopesAgainstAppToml(envScopes: readonly string[], appDir: string): AppTomlScopesCheck {
  const file = path.join(appDir, APP_TOML_FILE);
  if (!existsSync(file)) return { checked: false, reason: `${file} not found: SCOPES was not compared with the app's declared scopes` };
  const mismatch = scopesMismatch(envScopes, scopesOfAppToml(readFileSync(file, "utf8")));
  if (mismatch) throw new Error(mismatch);
  return { checked: true };
}
