// Writes the next migration for BOTH providers: `npm run db:migration -- add_reward_limits`.
// Prisma's JS schema engine cannot run `migrate dev` offline (it needs a shadow database), so we
// diff the schema as of the last migration (prisma/migration-base.prisma) against the current one.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, mkdirSync, existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { postgresSchema } from "./lib/prisma-schemas.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:migration -- <snake_case_name>");
  process.exit(2);
}
execFileSync("node", [path.join(root, "scripts/prisma-sync.mjs")], { stdio: "inherit" });
const basePath = path.join(root, "prisma/migration-base.prisma");
const current = readFileSync(path.join(root, "prisma/schema.prisma"), "utf8");
const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
const tmp = mkdtempSync(path.join(tmpdir(), "migration-"));

const targets = [
  { provider: "sqlite", dir: "prisma/migrations", schema: (s) => s, url: "file:./prisma/dev.sqlite" },
  { provider: "postgresql", dir: "prisma/postgresql/migrations", schema: postgresSchema, url: process.env.MIGRATION_PG_URL ?? "postgresql://root@127.0.0.1:5432/postgres" /* the adapter connects even to diff */ },
];
for (const t of targets) {
  const to = path.join(tmp, `${t.provider}-to.prisma`);
  writeFileSync(to, t.schema(current));
  const fromArgs = existsSync(basePath)
    ? (() => { const from = path.join(tmp, `${t.provider}-from.prisma`); writeFileSync(from, t.schema(readFileSync(basePath, "utf8"))); return ["--from-schema-datamodel", from]; })()
    : ["--from-empty"];
  const sql = execFileSync("npx", ["prisma", "migrate", "diff", ...fromArgs, "--to-schema-datamodel", to, "--script"], {
    cwd: root, env: { ...process.env, DATABASE_URL: t.url }, encoding: "utf8",
  });
  if (/^-- This is an empty migration/m.test(sql)) { console.log(`${t.provider}: no changes`); continue; }
  const dir = path.join(root, t.dir, `${stamp}_${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "migration.sql"), sql);
  console.log(`wrote ${path.relative(root, dir)}/migration.sql`);
}
writeFileSync(basePath, current);
