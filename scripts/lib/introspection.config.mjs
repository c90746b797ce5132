// Prisma CLI configuration for reading a scratch database back (`prisma db pull`, `migrate diff`), used
// only by scripts/lib/migrated-schema.mjs. DATABASE_URL is always an absolute file: URL or a
// postgresql:// URL there. It differs from prisma.config.ts in one thing: @prisma/adapter-pg 7.10 has
// no mapping for PostgreSQL's internal "char" type (OID 18), which the schema engine's introspection
// queries return (pg_class.relkind, pg_constraint.contype...), so `db pull` fails with "Column type
// 'char' could not be deserialized". The pool below reports those columns as text, which is what
// their values are.
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

const CHAR_OID = 18;
const TEXT_OID = 25;

class CharAsTextPool extends pg.Pool {
  async query(config, values) {
    const result = await super.query(config, values);
    for (const field of result?.fields ?? []) if (field.dataTypeID === CHAR_OID) field.dataTypeID = TEXT_OID;
    return result;
  }
}

const url = process.env.DATABASE_URL ?? "";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  adapter: async () => (/^postgres(ql)?:\/\//.test(url) ? new PrismaPg(new CharAsTextPool({ connectionString: url }), { disposeExternalPool: true }) : new PrismaBetterSQLite3({ url: url.replace(/^file:/, "") })),
});
