// `npm run setup`: generate the Prisma clients (SQLite and PostgreSQL: the same models) and apply the
// committed migrations to DATABASE_URL (default: the SQLite file prisma/dev.sqlite).
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { loadDotEnv } from "./lib/env-file.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
loadDotEnv(root);
const prisma = (args, env = {}) =>
  execFileSync(path.join(root, "node_modules/.bin/prisma"), args, { cwd: root, stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", ...env } });

execFileSync("node", [path.join(root, "scripts/prisma-sync.mjs"), "--check"], { stdio: "inherit" });
if (!process.argv.includes("--migrate-only")) {
  prisma(["generate", "--no-hints", "--schema", "prisma/schema.prisma"]);
  prisma(["generate", "--no-hints", "--schema", "prisma/postgresql/schema.prisma"]);
}
if (!process.argv.includes("--generate-only")) {
  prisma(["migrate", "deploy"]);
}
