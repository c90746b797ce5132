// Prisma clients and their direct SQL path. DATABASE_URL picks the provider: a file: URL is SQLite through better-sqlite3 (the
// embedded default), postgresql:// is PostgreSQL through node-postgres. Prisma runs without native
// engines here: Wasm query compiler + driver adapter (docs/decisions/001-two-providers-one-model.md).
import { createRequire } from "node:module";
import { PrismaClient } from "@prisma/client";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { databaseTarget, type DatabaseTarget } from "./db-target";
import { log } from "./logger.server";
import { driveAsync, postgresDatabase, sqliteDatabase, type SqlDatabase } from "./sql/run.server";
import { render, type Dialect, type SqlSteps } from "./sql/statements";

export type Db = PrismaClient;
/** A Prisma interactive transaction (or anything that runs queries like one): what `db.$transaction(async (tx) => …)` hands over. */
export type Tx = Omit<Db, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

// Each client carries its direct SQL path to the same database (docs/decisions/009-hot-path-sql.md).
// A global symbol, not a module-level map: the client outlives dev-server and test module reloads.
const SQL_PATH = Symbol.for("loyalty-app.sql-path");

/**
 * The direct SQL path (app/platform/sql) to the database `db` is connected to. A Prisma interactive
 * transaction forwards the properties it does not define itself to its client, so `sqlOf(tx)` finds
 * its client's path too (tests/integration/sql-path.test.ts checks it on both databases).
 */
export function sqlOf(db: Db | Tx): SqlDatabase {
  const sql = (db as unknown as { [SQL_PATH]?: SqlDatabase })[SQL_PATH];
  if (!sql) throw new Error("this Prisma client was not made by createPrismaClient: no SQL path to its database");
  return sql;
}

/** Which database `db` (a client or one of its transactions) is connected to. */
export function dialectOf(db: Db | Tx): Dialect {
  return sqlOf(db).dialect;
}

/**
 * Runs steps through Prisma: inside an interactive transaction the caller already holds (`tx`), or
 * statement by statement on a client. That is how SQL steps join a caller's Prisma transaction. The
 * statements are rendered for the database of the SQL path paired with the client.
 */
export function runInPrisma<T>(tx: Db | Tx, steps: SqlSteps<T>): Promise<T> {
  const { dialect } = sqlOf(tx);
  return driveAsync(steps, async (statement) => {
    const { text, params } = render(statement, dialect);
    return statement.want === "rows" ? tx.$queryRawUnsafe(text, ...params) : tx.$executeRawUnsafe(text, ...params);
  });
}

/**
 * Runs steps on the app's client (one transaction of its SQL path) or inside the Prisma transaction
 * `db` is, so one function serves both callers. A Prisma transaction forwards unknown properties
 * (the SQL path too) to its client, but has no $transaction: that is how the two are told apart.
 */
export function runSteps<T>(db: Db | Tx, steps: () => SqlSteps<T>): Promise<T> {
  return typeof (db as Partial<Db>).$transaction === "function" ? sqlOf(db as Db).transaction(steps) : runInPrisma(db, steps());
}

/** Closes the direct SQL path together with the client. */
function pairWith(client: Db, sql: SqlDatabase): Db {
  Object.defineProperty(client, SQL_PATH, { value: sql });
  const disconnect = client.$disconnect.bind(client);
  client.$disconnect = async () => {
    await sql.close();
    await disconnect();
  };
  return client;
}

export function createPrismaClient(databaseUrl: string | undefined, options: { poolSize?: number } = {}): Db {
  const target: DatabaseTarget = databaseTarget(databaseUrl);
  if (target.provider === "postgresql") {
    // The PostgreSQL client is generated from the same models into node_modules/.prisma/client-pg;
    // required at run time so bundlers leave it alone.
    const require = createRequire(import.meta.url);
    const { PrismaClient: PgPrismaClient } = require(".prisma/client-pg") as { PrismaClient: typeof PrismaClient };
    // node-postgres emits 'error' on an idle pooled connection the server drops (restart, failover);
    // unheard, that event would crash the process. The pool has already discarded that connection
    // when it emits: the next query opens a new one. Logged so the outage is visible
    // (tests/browser/postgres-restart.test.ts restarts PostgreSQL under load). One pool serves both
    // paths: Prisma's and the direct SQL of the webhook hot path.
    const pool = new pg.Pool({ connectionString: target.url, max: options.poolSize ?? 10 });
    pool.on("error", (error) => log.warn("database connection lost; the pool reconnects on the next query", { error: error.message }));
    const adapter = new PrismaPg(pool, { disposeExternalPool: true });
    return pairWith(new PgPrismaClient({ adapter }), postgresDatabase(pool));
  }
  // One connection per process; several processes (web + workers) may share the file, so a writer
  // waits up to 5 s for the lock instead of failing (better-sqlite3's `timeout`).
  const client = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: target.file, timeout: 5000 }) });
  // WAL: readers never block the writer, and a commit is one append instead of a journal rewrite.
  // synchronous=NORMAL in WAL mode loses no committed transaction on an application crash (only
  // on power loss): see docs/decisions/005-sqlite-wal.md.
  void client
    .$queryRawUnsafe("PRAGMA journal_mode = WAL")
    .then(() => client.$queryRawUnsafe("PRAGMA synchronous = NORMAL"))
    .catch(() => undefined);
  return pairWith(client, sqliteDatabase(target.file));
}

export function databaseProvider(databaseUrl = process.env.DATABASE_URL): DatabaseTarget["provider"] {
  return databaseTarget(databaseUrl).provider;
}
