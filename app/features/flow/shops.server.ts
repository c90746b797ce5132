// The shop row a Flow request names (by its myshopify domain).
// Data access: SQL steps (app/platform/sql) on the SQL path.
import { sqlOf, type Db } from "../../platform/db.server";
import { selectRow } from "../../platform/sql/statements";

export async function shopIdByDomain(db: Db, domain: string): Promise<string | null> {
  const row = await sqlOf(db).statement(() => selectRow<{ id: string }>`SELECT "id" FROM "Shop" WHERE "domain" = ${domain} AND "uninstalledAt" IS NULL`);
  return row?.id ?? null;
}
