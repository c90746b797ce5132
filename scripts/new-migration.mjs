// Writes the next migration for BOTH providers: `npm run db:migration -- add_reward_limits`.
// Prisma's JS schema engine cannot run `migrate dev` offline (it needs a shadow database), so the
// committed migrations of each provider are applied to a scratch database, read back, and diffed
// against the current schema (scripts/lib/migrated-schema.mjs; PostgreSQL: a scratch database on
// MIGRATION_PG_URL's server, default the local one). The migration is therefore always "what the
// migrations lack", whatever was edited since the last one. Read the SQL before committing it: a
// SQLite table rebuild copies rows, and data changes (backfills, clean-ups) are yours to add.
// `npm run db:check` proves the result.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { diffDatamodels, migratedDatamodel, PROVIDERS, root, workDirectory } from "./lib/migrated-schema.mjs";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:migration -- <snake_case_name>");
  process.exit(2);
}
execFileSync("node", [path.join(root, "scripts/prisma-sync.mjs")], { stdio: "inherit" });
const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
const work = workDirectory();
try {
  for (const [provider, { schema, migrations }] of Object.entries(PROVIDERS)) {
    const migrated = path.join(work, `${provider}-migrated.prisma`);
    writeFileSync(migrated, await migratedDatamodel(provider, work));
    const { script } = diffDatamodels(provider, migrated, path.join(root, schema), work);
    if (!script) {
      console.log(`${provider}: no changes`);
      continue;
    }
    const dir = path.join(root, migrations, `${stamp}_${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "migration.sql"), script);
    console.log(`wrote ${path.relative(root, dir)}/migration.sql`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
