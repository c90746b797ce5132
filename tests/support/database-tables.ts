// The database's own table list (not Prisma's): tests that must cover every table compare it with the
// schema's models, so a table the schema does not know cannot slip past them.
import { dialectOf, type Db } from "../../app/platform/db.server";

export async function databaseTables(db: Db): Promise<string[]> {
  const rows =
    dialectOf(db) === "postgresql"
      ? await db.$queryRawUnsafe<{ name: string }[]>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`)
      : await db.$queryRawUnsafe<{ name: string }[]>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`);
  return rows
    .map((r) => r.name)
    .filter((name) => name !== "_prisma_migrations")
    .sort();
}
