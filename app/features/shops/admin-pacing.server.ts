// Per-shop Admin API hold-off, shared by every worker process through the shop row (Shopify's leaky
// bucket is per app and shop, not per process). The worker's ShopPacer decides; this stores and reads.
// Data access: SQL steps (app/platform/sql) on the SQL path.
import { sqlOf, type Db } from "../../platform/db.server";
import { execute, selectRow, toDateOrNull } from "../../platform/sql/statements";

/** Extends the shop's hold-off to `until`; a later, shorter estimate from another worker never shortens it. */
export async function extendAdminHoldOff(db: Db, shopDomain: string, until: Date): Promise<void> {
  await sqlOf(db).statement(
    () => execute`
      UPDATE "Shop" SET "adminApiNotBefore" = ${until}
      WHERE "domain" = ${shopDomain} AND ("adminApiNotBefore" IS NULL OR "adminApiNotBefore" < ${until})`,
  );
}

/** Until when the worker holds off the shop's Admin calls (null: no hold-off recorded). */
export async function adminHoldOffUntil(db: Db, shopId: string): Promise<Date | null> {
  const shop = await sqlOf(db).statement(() => selectRow<{ notBefore: unknown }>`SELECT "adminApiNotBefore" AS "notBefore" FROM "Shop" WHERE "id" = ${shopId}`);
  return toDateOrNull(shop?.notBefore);
}
