// The one Prisma client. DATABASE_URL picks the provider: a file: URL is SQLite through better-sqlite3 (the
// embedded default), postgresql:// is PostgreSQL through node-postgres. Prisma runs without native
// engines here: Wasm query compiler + driver adapter (docs/decisions/001-two-providers-one-model.md).
import { createRequire } from "node:module";
import { PrismaClient } from "@prisma/client";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { databaseTarget, type DatabaseTarget } from "./db-target";
import { log } from "./logger.server";

export type Db = PrismaClient;

export function createPrismaClient(databaseUrl: string | undefined, options: { poolSize?: number } = {}): Db {
  const target: DatabaseTarget = databaseTarget(databaseUrl);
  if (target.provider === "postgresql") {
    // The PostgreSQL client is generated from the same models into node_modules/.prisma/client-pg;
    // required at run time so bundlers leave it alone.
    const require = createRequire(import.meta.url);
    const { PrismaClient: PgPrismaClient } = require(".prisma/client-pg") as { PrismaClient: typeof PrismaClient };
    // node-postgres emits 'error' on an idle pooled connection the server drops (restart, failover);
    // unheard, that event would crash the process. PrismaPg listens on its pool and hands the error
    // here, after the pool has discarded that connection: the next query opens a new one. Logged so
    // the outage is visible (tests/browser/postgres-restart.test.ts restarts PostgreSQL under load).
    const adapter = new PrismaPg(
      { connectionString: target.url, max: options.poolSize ?? 10 },
      { onPoolError: (error) => log.warn("database connection lost; the pool reconnects on the next query", { error: error.message }) },
    );
    return new PgPrismaClient({ adapter });
  }
  // One connection per process; several processes (web + workers) may share the file, so a writer
  // waits up to 5 s for the lock instead of failing (better-sqlite3's `timeout`).
  const client = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: target.file, timeout: 5000 }) });
  // WAL: readers never block the writer, and a commit is one append instead of a journal rewrite.
  // synchronous=NORMAL in WAL mode loses no committed transaction on an application crash (only
  // on power loss): see docs/decisions/005-sqlite-wal.md.
  void client.$queryRawUnsafe("PRAGMA journal_mode = WAL").then(() => client.$queryRawUnsafe("PRAGMA synchronous = NORMAL")).catch(() => undefined);
  return client;
}

export function databaseProvider(databaseUrl = process.env.DATABASE_URL): DatabaseTarget["provider"] {
  return databaseTarget(databaseUrl).provider;
}

declare global {
  // Reused across dev-server reloads so hot reload does not open a new pool each time.
  // eslint-disable-next-line no-var
  var prismaGlobal: Db | undefined;
}

const prisma: Db =
  globalThis.prismaGlobal ??
  createPrismaClient(process.env.DATABASE_URL, { poolSize: Number(process.env.DATABASE_POOL_SIZE ?? 10) || 10 });
if (process.env.NODE_ENV !== "production") globalThis.prismaGlobal = prisma;

export default prisma;
