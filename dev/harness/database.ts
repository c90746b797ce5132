// Creating, migrating and dropping a test database with the real migrations (prisma migrate deploy).
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { databaseTarget } from "../../app/platform/db-target";

const root = path.resolve(import.meta.dirname, "../..");

export async function createTestDatabase(databaseUrl: string): Promise<void> {
  const target = databaseTarget(databaseUrl);
  if (target.provider === "postgresql") {
    const url = new URL(target.url);
    const name = url.pathname.slice(1);
    const admin = new pg.Client({ connectionString: Object.assign(new URL(target.url), { pathname: "/postgres" }).toString() });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
      await admin.query(`CREATE DATABASE "${name}"`);
    } finally {
      await admin.end();
    }
  } else {
    rmSync(target.file, { force: true });
  }
  execFileSync(path.join(root, "node_modules/.bin/prisma"), ["migrate", "deploy"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

export async function dropTestDatabase(databaseUrl: string): Promise<void> {
  const target = databaseTarget(databaseUrl);
  if (target.provider === "postgresql") {
    const name = new URL(target.url).pathname.slice(1);
    const admin = new pg.Client({ connectionString: Object.assign(new URL(target.url), { pathname: "/postgres" }).toString() });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  } else {
    for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(target.file + suffix, { force: true });
  }
}

/** The machines' local PostgreSQL (trust auth). */
export const LOCAL_POSTGRES_URL = "postgresql://root@127.0.0.1:5432/postgres";

export async function postgresReachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}
