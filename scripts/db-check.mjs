// `npm run db:check [-- sqlite|postgresql]`: the committed migrations of each provider, applied to an
// empty database, must give exactly its Prisma schema (and prisma/postgresql/schema.prisma must be in
// step with prisma/schema.prisma). Exits 1 naming what differs and the SQL a migration would still
// need. PostgreSQL: a scratch database on MIGRATION_PG_URL's server (default: the local one).
import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { diffDatamodels, migratedDatamodel, PROVIDERS, root, workDirectory } from "./lib/migrated-schema.mjs";

const asked = process.argv.slice(2);
for (const name of asked) {
  if (!(name in PROVIDERS)) {
    console.error(`usage: npm run db:check [-- ${Object.keys(PROVIDERS).join("|")}]`);
    process.exit(2);
  }
}
const providers = asked.length ? asked : Object.keys(PROVIDERS);

if (spawnSync("node", [path.join(root, "scripts/prisma-sync.mjs"), "--check"], { stdio: "inherit" }).status !== 0) process.exit(1);

let drift = false;
const work = workDirectory();
try {
  for (const provider of providers) {
    const { schema, migrations } = PROVIDERS[provider];
    const migrated = path.join(work, `${provider}-migrated.prisma`);
    writeFileSync(migrated, await migratedDatamodel(provider, work));
    const { script, summary } = diffDatamodels(provider, migrated, path.join(root, schema), work);
    if (!script) {
      console.log(`db:check ${provider}: ${migrations} applied to an empty database give ${schema}`);
      continue;
    }
    drift = true;
    console.error(
      [
        `db:check ${provider}: ${migrations} applied to an empty database do NOT give ${schema}.`,
        `What differs (from the migrated database to the schema):`,
        summary.replace(/^/gm, "  "),
        `The SQL a migration would still have to run:`,
        script.trim().replace(/^/gm, "  "),
        `Write it with \`npm run db:migration -- <name>\` (both providers), or fix the migration that differs.`,
        "",
      ].join("\n"),
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exit(drift ? 1 : 0);
