// Versioned program settings: every save is a new immutable row (save-settings.server.ts); entries
// name the version they used. The current version is read on the webhook hot path.
// Data access: SQL steps (app/platform/sql); currentSettings runs them on a client or inside the
// caller's Prisma transaction.
import { DEFAULT_PROGRAM_SETTINGS, parseStoredSettings, type ProgramSettings } from "../../domain/settings";
import { runInPrisma, type Tx } from "../../platform/db.server";
import { selectRow, toInt, type SqlSteps } from "../../platform/sql/statements";

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
