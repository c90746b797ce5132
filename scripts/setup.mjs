// `npm run setup`: generate the Prisma clients (SQLite and PostgreSQL: the same models) and apply the
// committed migrations to DATABASE_URL (default: the SQLite file prisma/dev.sqlite).
import { execFileSync, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { loadDotEnv } from "./lib/env-file.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
loadDotEnv(root);

// Prisma 6.19 warns on every run about two settings this project needs to run without its native
// engines (README, "Prisma's warnings"; docs/decisions/012): the preview features it calls deprecated
// (without them `prisma generate` downloads the native query engine) and the schema's datasource url,
// which the CLI ignores beside prisma.config.ts's adapter (without it, generate does the same).
// Exactly these texts are dropped; anything else Prisma says is passed on.
const KNOWN_PRISMA_NOISE = [
  /^warn Preview feature "(driverAdapters|queryCompiler)" is deprecated\. The functionality can be used without specifying it as a preview feature\.\n/gm,
  /\nWARNING: Your schema specifies the following datasource properties but you are using a Driver Adapter via prisma\.config\.ts:\n- url\n\nThe values from your schema will NOT be used!\n\nWe recommend you to remove those properties from your schema to avoid confusion if you are only using driver adapters\.\n/g,
];
const withoutKnownNoise = (text) => KNOWN_PRISMA_NOISE.reduce((rest, pattern) => rest.replace(pattern, ""), text);

function prisma(args, env = {}) {
  const result = spawnSync(path.join(root, "node_modules/.bin/prisma"), args, { cwd: root, encoding: "utf8", env: { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", ...env } });
  process.stderr.write(withoutKnownNoise(result.stderr ?? "")); // Prisma's stderr lines come first (config, schema)
  process.stdout.write(withoutKnownNoise(result.stdout ?? ""));
  if (result.error) throw result.error;
  if (result.status !== 0) process.exit(result.status ?? 1);
}

execFileSync("node", [path.join(root, "scripts/prisma-sync.mjs"), "--check"], { stdio: "inherit" });
if (!process.argv.includes("--migrate-only")) {
  prisma(["generate", "--no-hints", "--schema", "prisma/schema.prisma"]);
  prisma(["generate", "--no-hints", "--schema", "prisma/postgresql/schema.prisma"]);
}
if (!process.argv.includes("--generate-only")) {
  prisma(["migrate", "deploy"]);
}
