// Drivers for SQL steps (statements.ts): straight to better-sqlite3 or node-postgres for the webhook
// hot path, or through an open Prisma transaction for code that already holds one. A prepared
// driver statement costs a small fraction of a Prisma statement's CPU (docs/decisions/009-hot-path-sql.md).
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import Database from "better-sqlite3";
import pg from "pg";
import { render, type Dialect, type SqlSteps, type Statement } from "./statements";

export interface SqlDatabase {
  dialect: Dialect;
  /** Runs the steps in one transaction; on SQLite it takes the write lock first and runs without yielding. */
  transaction<T>(steps: () => SqlSteps<T>): Promise<T>;
  /** Runs ONE statement's steps outside a transaction (a read, or a single self-contained write). */
  statement<T>(steps: () => SqlSteps<T>): Promise<T>;
  close(): Promise<void>;
}

function driveSync<T>(steps: SqlSteps<T>, exec: (statement: Statement) => unknown): T {
  let next = steps.next();
  while (!next.done) {
    let result: unknown;
    try {
      result = exec(next.value);
    } catch (error) {
      next = steps.throw(error); // the steps may catch it (e.g. a unique violation they expect)
      continue;
    }
    next = steps.next(result);
  }
  return next.value;
}

/**
 * Feeds each statement to `exec`, awaiting it, and its result (or error) back into the steps. Also
 * the driver of steps inside a caller's Prisma transaction (runInPrisma, app/platform/db.server.ts).
 */
export async function driveAsync<T>(steps: SqlSteps<T>, exec: (statement: Statement) => Promise<unknown>): Promise<T> {
  let next = steps.next();
  while (!next.done) {
    let result: unknown;
    try {
      result = await exec(next.value);
    } catch (error) {
      next = steps.throw(error);
      continue;
    }
    next = steps.next(result);
  }
  return next.value;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === "SQLITE_BUSY" || code === "SQLITE_BUSY_SNAPSHOT" || code === "SQLITE_LOCKED";
}

/** How long a transaction waits for another connection's write lock before failing. */
const SQLITE_LOCK_WAIT_MS = 5_000;

/** How often the background thread copies the write-ahead log into the database file. */
const CHECKPOINT_EVERY_MS = 1_000;

// Runs on a worker thread with its own connection (CommonJS: an eval'd worker has no module URL).
const CHECKPOINTER_SOURCE = `
const { workerData } = require("node:worker_threads");
const Database = require(workerData.driverPath);
const db = new Database(workerData.file, { timeout: 1000 });
setInterval(() => {
  try { db.pragma("wal_checkpoint(PASSIVE)"); } catch { /* busy: the next round copies it */ }
}, workerData.everyMs);
`;

/**
 * Moves WAL checkpoints off the event loop. By default the connection that commits past 1,000 WAL
 * pages copies them into the database file itself, inside its COMMIT, on the one thread that also
 * answers Shopify, every few dozen deliveries (docs/decisions/009-hot-path-sql.md).
 * Here the hot path's connection never checkpoints (wal_autocheckpoint=0) and a worker thread runs
 * a PASSIVE checkpoint every second, on the other core; PASSIVE never blocks readers or writers.
 */
function startCheckpointer(file: string): Worker {
  const driverPath = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(CHECKPOINTER_SOURCE, { eval: true, workerData: { file, driverPath, everyMs: CHECKPOINT_EVERY_MS } });
  worker.unref(); // never what keeps a process alive
  worker.on("error", () => undefined); // a failed checkpointer leaves the WAL to grow until Prisma's connection checkpoints
  return worker;
}

/**
 * SQLite through its own better-sqlite3 connection (Prisma keeps another). The connection never
 * sleeps inside SQLite waiting for a lock (busy timeout 0): that would block this process's only
 * thread while the lock holder may be this very process's Prisma transaction. It waits here instead,
 * asynchronously, and only before BEGIN: once it has the lock, the steps run start to commit without
 * yielding, so no other code of this process can interleave.
 */
export function sqliteDatabase(file: string): SqlDatabase {
  let db: Database.Database | null = null;
  let checkpointer: Worker | null = null;
  const prepared = new Map<string, Database.Statement>();
  const open = (): Database.Database => {
    if (db) return db;
    db = new Database(file, { timeout: 0 });
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL"); // docs/decisions/005-sqlite-wal.md
    db.pragma("wal_autocheckpoint = 0");
    checkpointer = startCheckpointer(file);
    // 64 MB of page cache instead of 2 MB: the hot path's tables and their indexes stay in memory
    // (docs/decisions/009-hot-path-sql.md).
    db.pragma("cache_size = -65536");
    return db;
  };
  const exec = (statement: Statement): unknown => {
    const { text, params } = render(statement, "sqlite");
    let stmt = prepared.get(text);
    if (!stmt) {
      if (prepared.size > 500) prepared.clear(); // IN lists of varying length make new texts
      stmt = open().prepare(text);
      prepared.set(text, stmt);
    }
    return statement.want === "rows" ? stmt.all(...params) : stmt.run(...params).changes;
  };
  const waitForLock = async <T>(attempt: () => T): Promise<T> => {
    const deadline = Date.now() + SQLITE_LOCK_WAIT_MS;
    // Every millisecond: a lock holder keeps it a few ms at most (the applier's batches are bounded
    // in time), and a failed attempt costs microseconds.
    for (;;) {
      try {
        return attempt();
      } catch (error) {
        if (!isBusy(error) || Date.now() > deadline) throw error;
        await sleep(1);
      }
    }
  };
  return {
    dialect: "sqlite",
    statement: (steps) => waitForLock(() => driveSync(steps(), exec)),
    // BEGIN to COMMIT in one synchronous attempt: an await between them would let another
    // transaction of this process reach BEGIN on the same connection. Only the wait for another
    // connection's lock is asynchronous; a rolled-back attempt runs the steps afresh.
    transaction: (steps) =>
      waitForLock(() => {
        const connection = open();
        connection.prepare("BEGIN IMMEDIATE").run();
        try {
          const result = driveSync(steps(), exec);
          connection.prepare("COMMIT").run();
          return result;
        } catch (error) {
          if (connection.inTransaction) connection.prepare("ROLLBACK").run();
          throw error;
        }
      }),
    async close() {
      await checkpointer?.terminate();
      checkpointer = null;
      db?.close();
      db = null;
      prepared.clear();
    },
  };
}

/** PostgreSQL TIMESTAMP(3) columns hold UTC (Prisma's convention); node-postgres would read them as local time. */
const pgTypes = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (oid === 1114) return (value: string) => new Date(`${value.replace(" ", "T")}Z`);
    if (oid === 20) return (value: string) => Number(value); // int8: counts
    return pg.types.getTypeParser(oid, format) as (value: string) => unknown;
  }) as typeof pg.types.getTypeParser,
};

/** Runs one statement on a pool (a connection of its own) or on a checked-out client. */
function pgExec(queryable: pg.Pool | pg.PoolClient) {
  return async (statement: Statement): Promise<unknown> => {
    const { text, params } = render(statement, "postgresql");
    const res = await queryable.query({ text, values: params, types: pgTypes });
    return statement.want === "rows" ? res.rows : (res.rowCount ?? 0);
  };
}

/** PostgreSQL through node-postgres, on the same pool Prisma uses (app/db.server.ts). */
export function postgresDatabase(pool: pg.Pool): SqlDatabase {
  return {
    dialect: "postgresql",
    statement: (steps) => driveAsync(steps(), pgExec(pool)),
    async transaction<T>(steps: () => SqlSteps<T>): Promise<T> {
      const client = await pool.connect();
      let broken: Error | undefined;
      // A checked-out connection that the server drops (restart, failover) emits 'error'; unheard,
      // that would end the process. The query in flight fails too, which is what the caller sees.
      const onConnectionError = (error: Error) => (broken = error);
      client.on("error", onConnectionError);
      try {
        await client.query("BEGIN");
        const result = await driveAsync(steps(), pgExec(client));
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch((rollbackError: Error) => (broken = rollbackError));
        throw error;
      } finally {
        client.off("error", onConnectionError);
        client.release(broken); // a dropped connection, or one that cannot even roll back, is discarded
      }
    },
    async close() {
      // The pool is Prisma's too; $disconnect ends it (disposeExternalPool).
    },
  };
}
