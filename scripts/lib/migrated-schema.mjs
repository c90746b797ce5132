// The schema that a provider's committed migrations produce, and its difference from the Prisma schema.
// Used by `npm run db:check` (CI: migrations == schema) and `npm run db:migration` (the next migration
// is the difference). Prisma's JS schema engine refuses `migrate diff --from-url`,
// `--from-schema-datasource` and `--shadow-database-url` beside a driver adapter, and `--from-migrations`
// uses DATABASE_URL itself as its shadow database. So: the migrations are applied with
// `prisma migrate deploy` (as every real database gets them) to a scratch database of our own (a temp
// SQLite file, or a new PostgreSQL database), read back with `prisma db pull --print`, and that datamodel
// is diffed against the schema with `migrate diff --from-schema-datamodel --to-schema-datamodel`: the
// same comparison Prisma makes when it writes a migration, so column order, formatting and client-only
// attributes (@default(cuid()), @updatedAt) never count as a difference.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import path from "node:path";
import pg from "pg";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const INTROSPECTION_CONFIG = path.join(root, "scripts/lib/introspection.config.mjs");

/** The machines' local PostgreSQL; MIGRATION_PG_URL names another server (its database is not used). */
export const postgresServerUrl = () => process.env.MIGRATION_PG_URL ?? "postgresql://root@127.0.0.1:5432/postgres";

export const PROVIDERS = {
  sqlite: { schema: "prisma/schema.prisma", migrations: "prisma/migrations" },
  postgresql: { schema: "prisma/postgresql/schema.prisma", migrations: "prisma/postgresql/migrations" },
};

// The warning Prisma 6.19 prints on stdout because a schema's datasource has a url beside the config's
// adapter (the url is still required by the schema validator). Dropped so stdout is the datamodel.
const URL_WARNING =
  /\nWARNING: Your schema specifies the following datasource properties but you are using a Driver Adapter via prisma\.config\.ts:\n- url\n\nThe values from your schema will NOT be used!\n\nWe recommend you to remove those properties from your schema to avoid confusion if you are only using driver adapters\.\n/g;

function prisma(args, databaseUrl, { config } = {}) {
  const result = spawnSync(path.join(root, "node_modules/.bin/prisma"), [...args, ...(config ? ["--config", config] : [])], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: (result.stdout ?? "").replace(URL_WARNING, ""), stderr: result.stderr ?? "" };
}

function failed(what, result) {
  return new Error(`${what} failed (exit ${result.status}):\n${result.stderr.trim()}\n${result.stdout.trim()}`);
}

/** A new empty database for `provider`; `drop()` removes it. */
async function scratchDatabase(provider, dir) {
  if (provider === "sqlite") {
    const file = path.join(dir, "migrated.sqlite");
    return { url: `file:${file}`, drop: async () => rmSync(file, { force: true }) };
  }
  const server = new URL(postgresServerUrl());
  const name = `schema_check_${Date.now()}_${process.pid}`;
  const admin = new pg.Client({ connectionString: Object.assign(new URL(server), { pathname: "/postgres" }).toString() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return {
    url: Object.assign(new URL(server), { pathname: `/${name}` }).toString(),
    drop: async () => {
      const again = new pg.Client({ connectionString: Object.assign(new URL(server), { pathname: "/postgres" }).toString() });
      await again.connect();
      try {
        await again.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await again.end();
      }
    },
  };
}

/**
 * Applies the committed migrations of `provider` to a scratch database and returns that database read
 * back as a Prisma datamodel (models only, no generator; a datasource block for the provider).
 */
export async function migratedDatamodel(provider, workDir) {
  const db = await scratchDatabase(provider, workDir);
  try {
    // prisma.config.ts picks the adapter, the schema and so its migrations folder from DATABASE_URL.
    const deploy = prisma(["migrate", "deploy"], db.url);
    if (deploy.status !== 0) throw failed(`prisma migrate deploy of ${PROVIDERS[provider].migrations}`, deploy);
    const empty = path.join(workDir, `${provider}-introspect.prisma`);
    writeFileSync(empty, `datasource db {\n  provider = "${provider}"\n  url      = "${provider === "sqlite" ? "file:./unused" : "postgresql://unused"}"\n}\n`);
    const pull = prisma(["db", "pull", "--print", "--schema", empty], db.url, { config: INTROSPECTION_CONFIG });
    if (pull.status !== 0) throw failed("prisma db pull", pull);
    const start = pull.stdout.search(/^datasource db \{/m);
    if (start < 0) throw new Error(`prisma db pull printed no datamodel:\n${pull.stdout}`);
    return pull.stdout.slice(start);
  } finally {
    await db.drop();
  }
}

/**
 * What a migration from the datamodel in file `from` to the one in file `to` would do, for `provider`:
 * `{ script, summary }`, both "" when they are the same schema.
 */
export function diffDatamodels(provider, from, to, workDir) {
  // The diff needs no database, but the adapter in the config is opened anyway: give it a throwaway one.
  const url = provider === "sqlite" ? `file:${path.join(workDir, "diff.sqlite")}` : postgresServerUrl();
  const run = (extra) => {
    const result = prisma(["migrate", "diff", "--from-schema-datamodel", from, "--to-schema-datamodel", to, ...extra], url, { config: INTROSPECTION_CONFIG });
    if (result.status !== 0) throw failed("prisma migrate diff", result);
    return result.stdout;
  };
  const script = run(["--script"]);
  if (/^-- This is an empty migration\.\s*$/m.test(script.trim()) || script.trim() === "") return { script: "", summary: "" };
  return { script, summary: run([]).trim() };
}

export function workDirectory() {
  return mkdtempSync(path.join(tmpdir(), "schema-check-"));
}
