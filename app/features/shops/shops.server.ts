// Shop rows: the id of a shop's row (created on its first delivery or install), read on the hot path.
// Data access: SQL steps (app/platform/sql), run on the SQL path or inside the caller's transaction.
import type { Db, Tx } from "../../platform/db.server";
import { runInPrisma, sqlOf } from "../../platform/db.server";
import { execute, newId, selectRow, type SqlSteps } from "../../platform/sql/statements";

/** The shop's row id, creating the row for a shop's very first delivery. */
export function* ensureShopSteps(domain: string, now = new Date()): SqlSteps<{ id: string }> {
  // Read first: the row exists for every delivery but a shop's very first one.
  const found = yield* selectRow<{ id: string }>`SELECT "id" FROM "Shop" WHERE "domain" = ${domain}`;
  if (found) return found;
  yield* execute`
    INSERT INTO "Shop" ("id", "domain", "installedAt", "createdAt", "updatedAt") VALUES (${newId()}, ${domain}, ${now}, ${now}, ${now})
    ON CONFLICT ("domain") DO NOTHING`;
  const created = yield* selectRow<{ id: string }>`SELECT "id" FROM "Shop" WHERE "domain" = ${domain}`;
  return created!;
}

export async function ensureShop(tx: Tx, domain: string): Promise<{ id: string }> {
  return runInPrisma(tx, ensureShopSteps(domain));
}

/** The installed shop with this row id, or null once shop/redact removed it. */
export async function shopById(db: Db, shopId: string): Promise<{ id: string; domain: string } | null> {
  return (await sqlOf(db).statement(() => selectRow<{ id: string; domain: string }>`SELECT "id", "domain" FROM "Shop" WHERE "id" = ${shopId}`)) ?? null;
}
