// Saving the program settings as the merchant edits them: a new immutable version, and the
// storefront's program metafield queued in the same transaction.
// Data access: Prisma models (an admin action, off the hot path), in the caller's transaction.
import type { ProgramSettings } from "../../domain/settings";
import type { Tx } from "../../platform/db.server";
import { programChanged } from "./program-sync.server";
import { currentSettings, type VersionedSettings } from "./settings.server";

/** Saves a new version unless it equals the current one (saving twice is a no-op). */
export async function saveSettings(tx: Tx, shopId: string, settings: ProgramSettings, actor: string): Promise<VersionedSettings> {
  const current = await currentSettings(tx, shopId);
  if (JSON.stringify(current.settings) === JSON.stringify(settings)) return current;
  const version = current.version + 1;
  await tx.programSettings.create({ data: { shopId, version, settings: JSON.stringify(settings), actor } });
  await programChanged(tx, shopId);
  return { version, settings };
}
