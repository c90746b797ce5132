// Versioned program settings: every save is a new immutable row; entries name the version they used.
import { DEFAULT_PROGRAM_SETTINGS, parseStoredSettings, type ProgramSettings } from "../loyalty/settings";
import type { Tx } from "../webhooks/receive.server";
import { programChanged } from "../storefront/program-sync.server";

export interface VersionedSettings {
  version: number; // 0 = the documented fresh-install defaults, never saved
  settings: ProgramSettings;
}

export async function currentSettings(tx: Tx, shopId: string): Promise<VersionedSettings> {
  const row = await tx.programSettings.findFirst({ where: { shopId }, orderBy: { version: "desc" } });
  if (!row) return { version: 0, settings: DEFAULT_PROGRAM_SETTINGS };
  return { version: row.version, settings: parseStoredSettings(row.settings) };
}

/** Saves a new version unless it equals the current one (saving twice is a no-op). */
export async function saveSettings(tx: Tx, shopId: string, settings: ProgramSettings, actor: string): Promise<VersionedSettings> {
  const current = await currentSettings(tx, shopId);
  if (JSON.stringify(current.settings) === JSON.stringify(settings)) return current;
  const version = current.version + 1;
  await tx.programSettings.create({ data: { shopId, version, settings: JSON.stringify(settings), actor } });
  await programChanged(tx, shopId);
  return { version, settings };
}
