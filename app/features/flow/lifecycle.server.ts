// Shopify Flow's trigger lifecycle callback: Flow posts it when a merchant turns on (or off) a workflow
// that starts with one of the app's triggers, and the merchant cannot turn the workflow on unless the
// app answers 2xx within 5 seconds. The app records, per shop and trigger, whether some workflow is
// on; trigger jobs are queued only while it is (app/outbox/flow-triggers.server.ts). A callback older
// than the one stored is ignored, as Flow asks ("Notifications with newer timestamps should take
// precedence"). https://shopify.dev/docs/apps/build/flow/track-lifecycle-events
// Data access: SQL steps (app/platform/sql) on the SQL path: one short transaction per callback.
import { z } from "zod";
import { sqlOf, type Db } from "../../platform/db.server";
import { execute, newId, selectRow, type SqlSteps } from "../../platform/sql/statements";
import { FLOW_TRIGGERS } from "../../domain/flow-triggers";

/** The callback body as documented (shop_id comes as a string in Shopify's example, a number in its table). */
export const lifecycleCallbackSchema = z.object({
  flow_trigger_definition_id: z.string().min(1).max(255),
  has_enabled_flow: z.boolean(),
  shop_id: z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]),
  shopify_domain: z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/),
  timestamp: z.string().datetime({ offset: true }),
});
export type LifecycleCallback = z.infer<typeof lifecycleCallbackSchema>;

/**
 * The trigger a callback names. Flow's docs call `flow_trigger_definition_id` "the unique identifier
 * for your Shopify Flow trigger" (their example is a trigger's title), so both the extension handle
 * and its title are recognised. An identifier that is neither is stored as given (the admin page
 * shows it) and enables nothing the app sends.
 */
export function triggerHandleFor(definitionId: string): string {
  const wanted = definitionId.trim().toLowerCase();
  return FLOW_TRIGGERS.find((t) => t.handle === wanted || t.title.toLowerCase() === wanted)?.handle ?? definitionId;
}

function* recordSteps(callback: LifecycleCallback, now: Date): SqlSteps<{ applied: boolean; handle: string }> {
  const handle = triggerHandleFor(callback.flow_trigger_definition_id);
  // Only an installed shop: a callback must not bring back the row of an uninstalled or redacted shop.
  const shop = yield* selectRow<{ id: string }>`SELECT "id" FROM "Shop" WHERE "domain" = ${callback.shopify_domain} AND "uninstalledAt" IS NULL`;
  if (!shop) return { applied: false, handle };
  const callbackAt = new Date(callback.timestamp);
  const changed = yield* execute`
    INSERT INTO "FlowTriggerState" ("id", "shopId", "handle", "enabled", "callbackAt", "createdAt", "updatedAt")
    VALUES (${newId()}, ${shop.id}, ${handle}, ${callback.has_enabled_flow}, ${callbackAt}, ${now}, ${now})
    ON CONFLICT ("shopId", "handle") DO UPDATE SET "enabled" = excluded."enabled", "callbackAt" = excluded."callbackAt", "updatedAt" = excluded."updatedAt"
    WHERE "FlowTriggerState"."callbackAt" < excluded."callbackAt"`;
  return { applied: changed === 1, handle };
}

/** Records one callback; `applied` is false when a newer one was already stored. */
export function recordLifecycleCallback(db: Db, callback: LifecycleCallback, now = new Date()): Promise<{ applied: boolean; handle: string }> {
  return sqlOf(db).transaction(() => recordSteps(callback, now));
}
