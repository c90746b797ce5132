// Versioned program settings: every save is a new immutable row; entries name the version they used.
import { DEFAULT_PROGRAM_SETTINGS, parseStoredSettings, type ProgramSettings } from "../../domain/settings";
import type { Tx } from "../../platform/db.server";
import { programChanged } from "./program-sync.server";
import { selectRow, toInt, type SqlSteps } from "../../platform/sql/statements";
import { runInPrisma } from "../../platform/sql/run.server";

export interface VersionedSettings {
  version: number; // 0 = the documented fresh-install defaults, never saved
  settings: ProgramSettings;
}

export function* currentSettingsSteps(shopId: string): SqlSteps<VersionedSettings> {
  const row = yield* selectRow<{ version: unknown; settings: string }>`
    SELECT "version", "settings" FROM "ProgramSettings" WHERE "shopId" = ${shopId} ORDER BY "version" DESC LIMIT 1`;
  if (!row) return { version: 0, settings: DEFAULT_PROGRAM_SETTINGS };
  return { version: toInt(row.version), settings: parseStoredSettings(row.settings) };
}

export async function currentSettings(tx: Tx, shopId: string): Promise<VersionedSettings> {
  return runInPrisma(tx, currentSettingsSteps(shopId));
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
