// The foreign-key migration on a database that already has rows, on the run's provider (SQLite under
// `npm test`, PostgreSQL under `npm run test:pg`), each in a scratch database of its own: every row
// survives (SQLite rebuilds each table to add its keys), rows of a shop that no longer exists are
// removed, the keys hold afterwards, and a ledger entry naming a member of another shop stops the
// migration before it changes anything. On SQLite also: a later migration that rebuilds the parent
// table (Shop) deletes no child row, although the children now cascade from it.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseTarget } from "../../app/platform/db-target";
import { dropTestDatabase } from "../../dev/harness/database";

const root = path.resolve(import.meta.dirname, "../..");
const provider = databaseTarget(process.env.DATABASE_URL).provider;
const source = provider === "sqlite" ? { schema: "prisma/schema.prisma", migrations: "prisma/migrations" } : { schema: "prisma/postgresql/schema.prisma", migrations: "prisma/postgresql/migrations" };
const FK_MIGRATION = readdirSync(path.join(root, source.migrations)).find((name) => name.endsWith("_foreign_keys"))!;

const T = "2026-11-30T10:00:00.000+00:00";

/** Rows as the app writes them before the foreign keys: two shops' data, and rows of a shop that is gone. */
const SEED = [
  `INSERT INTO "Session" ("id", "shop", "state", "accessToken") VALUES ('offline_a', 'a.myshopify.com', '', 'tok')`,
  `INSERT INTO "WebhookDelivery" ("id", "shop", "webhookId", "topic", "outcome", "receivedAt") VALUES ('w1', 'new.myshopify.com', 'wh-1', 'orders/paid', 'received', '${T}')`,
  ...["a", "b"].flatMap((s) => [
    `INSERT INTO "Shop" ("id", "domain", "createdAt", "updatedAt") VALUES ('shop-${s}', '${s}.myshopify.com', '${T}', '${T}')`,
    `INSERT INTO "ProgramSettings" ("id", "shopId", "version", "settings", "actor") VALUES ('ps-${s}', 'shop-${s}', 1, '{}', 'staff:1')`,
    `INSERT INTO "Customer" ("id", "shopId", "shopifyCustomerId", "email", "balance", "createdAt", "updatedAt") VALUES ('c-${s}', 'shop-${s}', 'gid://shopify/Customer/1', '${s}@example.com', 10, '${T}', '${T}')`,
    `INSERT INTO "LedgerEntry" ("id", "shopId", "customerId", "points", "kind", "status", "availableAt", "idempotencyKey", "actor") VALUES ('e-${s}', 'shop-${s}', 'c-${s}', 10, 'earn', 'available', '${T}', 'k', 'test')`,
    `INSERT INTO "OrderRecord" ("id", "shopId", "orderId", "customerId", "updatedAt") VALUES ('o-${s}', 'shop-${s}', 'gid://shopify/Order/1', 'c-${s}', '${T}')`,
    `INSERT INTO "OrderRecord" ("id", "shopId", "orderId", "updatedAt") VALUES ('o-${s}-guest', 'shop-${s}', 'gid://shopify/Order/2', '${T}')`,
    `INSERT INTO "Campaign" ("id", "shopId", "name", "multiplier", "startsAt", "endsAt", "updatedAt") VALUES ('cam-${s}', 'shop-${s}', 'x2', '2', '${T}', '${T}', '${T}')`,
    `INSERT INTO "Reward" ("id", "shopId", "name", "pointsCost", "discountType", "value", "updatedAt") VALUES ('r-${s}', 'shop-${s}', '$5', 50, 'fixed_amount', '5.00', '${T}')`,
    `INSERT INTO "IssuedCode" ("id", "shopId", "customerId", "code", "source", "rewardSnapshot", "startsAt", "endsAt", "status", "updatedAt") VALUES ('ic-${s}', 'shop-${s}', 'c-${s}', 'CODE', 'redemption', '{}', '${T}', '${T}', 'issued', '${T}')`,
    `INSERT INTO "OutboxJob" ("id", "shopId", "kind", "payload", "dedupeKey", "updatedAt") VALUES ('j-${s}', 'shop-${s}', 'shop_setup', '{}', 'd', '${T}')`,
    `INSERT INTO "DataRequestExport" ("id", "shopId", "shopifyCustomerId", "dataRequestId", "webhookId", "document", "summary") VALUES ('x-${s}', 'shop-${s}', 'gid://shopify/Customer/1', 'dr', 'wh', '{}', '{}')`,
    `INSERT INTO "ProxyRequest" ("id", "shopId", "signature", "customerId") VALUES ('p-${s}', 'shop-${s}', 'sig', 'gid://shopify/Customer/1')`,
  ]),
  // Left by a write that raced shop/redact: its shop row is gone.
  `INSERT INTO "Customer" ("id", "shopId", "shopifyCustomerId", "updatedAt") VALUES ('c-gone', 'shop-gone', 'gid://shopify/Customer/9', '${T}')`,
  `INSERT INTO "LedgerEntry" ("id", "shopId", "customerId", "points", "kind", "status", "availableAt", "idempotencyKey", "actor") VALUES ('e-gone', 'shop-gone', 'c-gone', 5, 'earn', 'available', '${T}', 'k', 'test')`,
  `INSERT INTO "OutboxJob" ("id", "shopId", "kind", "payload", "dedupeKey", "updatedAt") VALUES ('j-gone', 'shop-gone', 'sync_customer_metafield', '{}', 'd', '${T}')`,
];
const TABLES = ["Session", "WebhookDelivery", "Shop", "ProgramSettings", "Customer", "LedgerEntry", "OrderRecord", "Campaign", "Reward", "IssuedCode", "OutboxJob", "DataRequestExport", "ProxyRequest"];
const GONE = ["c-gone", "e-gone", "j-gone"];

/** Plain SQL on one database, without Prisma (the point is what the migrations did to it). */
interface Sql {
  run(text: string): Promise<void>;
  rows(text: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}
async function connect(url: string): Promise<Sql> {
  const target = databaseTarget(url);
  if (target.provider === "sqlite") {
    const db = new Database(target.file);
    return { run: async (text) => void db.exec(text), rows: async (text) => db.prepare(text).all() as Record<string, unknown>[], close: async () => void db.close() };
  }
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  return { run: async (text) => void (await client.query(text)), rows: async (text) => (await client.query(text)).rows, close: () => client.end() };
}

async function dump(sql: Sql): Promise<Record<string, Record<string, unknown>[]>> {
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const table of TABLES) out[table] = await sql.rows(`SELECT * FROM "${table}" ORDER BY "id"`);
  return out;
}

/** A copy of the provider's schema and migrations up to (not including) `until`, and a database URL of its own. */
function scratchProject(work: string, name: string, until: string | null) {
  const dir = path.join(work, name);
  mkdirSync(path.join(dir, "migrations"), { recursive: true });
  cpSync(path.join(root, source.schema), path.join(dir, "schema.prisma"));
  cpSync(path.join(root, source.migrations, "migration_lock.toml"), path.join(dir, "migrations", "migration_lock.toml"));
  const all = readdirSync(path.join(root, source.migrations))
    .filter((m) => /^\d{14}_/.test(m))
    .sort();
  const copy = (m: string) => cpSync(path.join(root, source.migrations, m), path.join(dir, "migrations", m), { recursive: true });
  for (const m of all) {
    if (m === until) break;
    copy(m);
  }
  const url =
    provider === "sqlite" ? `file:${path.join(dir, "db.sqlite")}` : Object.assign(new URL(process.env.DATABASE_URL!), { pathname: `/${new URL(process.env.DATABASE_URL!).pathname.slice(1)}_${name}` }).toString();
  return {
    dir,
    url,
    addMigration: (m: string) => copy(m),
    deploy: () => spawnSync(path.join(root, "node_modules/.bin/prisma"), ["migrate", "deploy", "--schema", path.join(dir, "schema.prisma")], { cwd: root, encoding: "utf8", env: { ...process.env, DATABASE_URL: url } }),
  };
}

/** A new, empty database at `url` (not createTestDatabase: it applies every migration, these start older). */
async function emptyDatabase(url: string) {
  if (provider === "sqlite") return;
  const admin = await connect(Object.assign(new URL(url), { pathname: "/postgres" }).toString());
  const name = new URL(url).pathname.slice(1);
  await admin.run(`DROP DATABASE IF EXISTS "${name}"`);
  await admin.run(`CREATE DATABASE "${name}"`);
  await admin.close();
}

describe(`the foreign-key migration on a database with rows (${provider})`, () => {
  let work: string;
  const created: string[] = [];
  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), "migration-data-"));
  });
  afterAll(async () => {
    for (const url of created) await dropTestDatabase(url);
    rmSync(work, { recursive: true, force: true });
  });

  it("keeps every row of existing shops, removes rows of a shop that is gone, and the keys hold afterwards", { timeout: 240_000 }, async () => {
    const project = scratchProject(work, "keeps", FK_MIGRATION);
    created.push(project.url);
    await emptyDatabase(project.url);
    expect(project.deploy().status).toBe(0);
    let sql = await connect(project.url);
    for (const statement of SEED) await sql.run(statement);
    const before = await dump(sql);
    await sql.close();

    project.addMigration(FK_MIGRATION);
    const deployed = project.deploy();
    expect(deployed.status, deployed.stderr + deployed.stdout).toBe(0);

    sql = await connect(project.url);
    const after = await dump(sql);
    const expected = Object.fromEntries(Object.entries(before).map(([table, rows]) => [table, rows.filter((row) => !GONE.includes(String(row.id)))]));
    expect(after).toEqual(expected);
    expect(after.LedgerEntry!.length).toBe(2);

    // The keys now refuse what the app used to be able to write.
    await expect(sql.run(`INSERT INTO "OutboxJob" ("id", "shopId", "kind", "payload", "dedupeKey", "updatedAt") VALUES ('j-x', 'shop-gone', 'k', '{}', 'd2', '${T}')`)).rejects.toThrow(/foreign key/i);
    await expect(
      sql.run(
        `INSERT INTO "LedgerEntry" ("id", "shopId", "customerId", "points", "kind", "status", "availableAt", "idempotencyKey", "actor") VALUES ('e-x', 'shop-a', 'c-b', 1, 'manual', 'available', '${T}', 'k2', 'test')`,
      ),
    ).rejects.toThrow(/foreign key/i);
    // Deleting a shop takes all of its rows and nothing of the other shop's.
    await sql.run(`DELETE FROM "Shop" WHERE "id" = 'shop-a'`);
    const deleted = await dump(sql);
    for (const table of TABLES.filter((t) => !["Session", "WebhookDelivery", "Shop"].includes(t))) {
      expect(
        deleted[table]!.map((row) => row.shopId),
        table,
      ).toEqual(["shop-b", ...(table === "OrderRecord" ? ["shop-b"] : [])]);
    }
    await sql.close();

    if (provider === "sqlite") {
      // A later migration that rebuilds Shop, written as Prisma writes it (here: a changed default).
      // Dropping the old Shop table must not cascade to its children: foreign_keys=OFF must take effect.
      const changed = path.join(project.dir, "changed.prisma");
      writeFileSync(changed, readFileSync(path.join(project.dir, "schema.prisma"), "utf8").replace('@default("USD")', '@default("EUR")'));
      const rebuild = execFileSync(path.join(root, "node_modules/.bin/prisma"), ["migrate", "diff", "--from-schema-datamodel", path.join(project.dir, "schema.prisma"), "--to-schema-datamodel", changed, "--script"], {
        cwd: root,
        encoding: "utf8",
        env: { ...process.env, DATABASE_URL: project.url },
      });
      expect(rebuild).toMatch(/DROP TABLE "Shop"/);
      mkdirSync(path.join(project.dir, "migrations", "29991231000000_rebuild_shop"));
      writeFileSync(path.join(project.dir, "migrations", "29991231000000_rebuild_shop", "migration.sql"), rebuild.slice(rebuild.indexOf("--")));
      const again = project.deploy();
      expect(again.status, again.stderr + again.stdout).toBe(0);
      sql = await connect(project.url);
      expect(await dump(sql)).toEqual(deleted);
      await sql.close();
    }
  });

  it("stops before changing anything when a ledger entry names a member of another shop", { timeout: 240_000 }, async () => {
    const project = scratchProject(work, "mismatch", FK_MIGRATION);
    created.push(project.url);
    await emptyDatabase(project.url);
    expect(project.deploy().status).toBe(0);
    let sql = await connect(project.url);
    for (const statement of SEED) await sql.run(statement);
    await sql.run(`UPDATE "LedgerEntry" SET "customerId" = 'c-b' WHERE "id" = 'e-a'`);
    const before = await dump(sql);
    await sql.close();

    project.addMigration(FK_MIGRATION);
    const deployed = project.deploy();
    expect(deployed.status).not.toBe(0);
    // Prisma names the migration; the JS schema engine hides SQLite's message ("External error"), so the
    // reason is in the migration file's comment (and in PostgreSQL's error).
    expect(deployed.stderr + deployed.stdout).toContain(FK_MIGRATION);
    if (provider === "postgresql") expect(deployed.stderr + deployed.stdout).toContain("name a customerId that is not a Customer of their shop");
    sql = await connect(project.url);
    // Only rows of the shop that is gone went (the first step); no table was rebuilt or keyed.
    const after = await dump(sql);
    expect(after).toEqual(Object.fromEntries(Object.entries(before).map(([table, rows]) => [table, rows.filter((row) => !GONE.includes(String(row.id)))])));
    await sql.run(`INSERT INTO "OutboxJob" ("id", "shopId", "kind", "payload", "dedupeKey", "updatedAt") VALUES ('j-x', 'shop-gone', 'k', '{}', 'd2', '${T}')`);
    await sql.close();
  });
});
