// Program settings and rewards, as the settings page reads and writes them. Everything is
// validated with the domain's zod schemas; an invalid post writes nothing and returns one message
// per field, keyed by the form field's name.
// Data access: Prisma models.
import type { Reward } from "@prisma/client";
import { programChanged } from "../features/program/program-sync.server";
import prisma from "../db.server";
import { currentSettings, type VersionedSettings } from "../features/program/settings.server";
import { saveSettings } from "../features/program/save-settings.server";
import { programSettingsSchema, settingsFieldErrors } from "../domain/settings";
import { rewardOptionSchema } from "../domain/redemption";
import { isUniqueViolation } from "../platform/sql/statements";
import { SETTINGS_BOOLEAN_FIELDS, SETTINGS_TEXT_FIELDS } from "./settings-form";
import type { RewardFormValues } from "./settings-form";

export type FieldErrors = Record<string, string>;

export interface RewardRow {
  id: string;
  name: string;
  pointsCost: number;
  discountType: RewardFormValues["discountType"];
  value: string;
  minSubtotal: string | null;
  validityDays: number;
  active: boolean;
}

function rewardRow(reward: Reward): RewardRow {
  return {
    id: reward.id,
    name: reward.name,
    pointsCost: reward.pointsCost,
    discountType: reward.discountType as RewardRow["discountType"],
    value: reward.value,
    minSubtotal: reward.minSubtotal,
    validityDays: reward.validityDays,
    active: reward.active,
  };
}

export async function loadSettingsPage(shopId: string): Promise<{ settings: VersionedSettings; rewards: RewardRow[] }> {
  const [settings, rewards] = await Promise.all([currentSettings(prisma, shopId), prisma.reward.findMany({ where: { shopId }, orderBy: [{ active: "desc" }, { pointsCost: "asc" }, { createdAt: "asc" }], take: 200 })]);
  return { settings, rewards: rewards.map(rewardRow) };
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const child = node[key];
    if (child === null || typeof child !== "object" || Array.isArray(child)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]!] = value;
}

function parseBoolean(raw: string): boolean | string {
  if (raw === "true" || raw === "on") return true;
  if (raw === "false" || raw === "") return false;
  return raw; // rejected by the schema
}

/** "123, gid://shopify/Product/456\n789" → ["123", "gid://shopify/Product/456", "789"] */
function splitList(raw: string, separator: RegExp): string[] {
  return raw
    .split(separator)
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

/**
 * The posted fields laid over the current settings (a field not posted keeps its value), then
 * validated as a whole. Errors are keyed by form field ("welcomeCode.value"); list fields report
 * on the list ("excludedProductIds"), naming the bad item in the message.
 */
export function parseSettingsForm(form: FormData, current: VersionedSettings["settings"]): { ok: true; settings: VersionedSettings["settings"] } | { ok: false; fieldErrors: FieldErrors } {
  const input = structuredClone(current) as unknown as Record<string, unknown>;
  for (const field of SETTINGS_BOOLEAN_FIELDS) {
    const raw = form.get(field);
    if (typeof raw === "string") setPath(input, field, parseBoolean(raw.trim()));
  }
  for (const field of SETTINGS_TEXT_FIELDS) {
    const raw = form.get(field);
    if (typeof raw !== "string") continue;
    if (field === "excludedProductIds") setPath(input, field, splitList(raw, /[\s,]+/));
    else if (field === "excludedOrderTags") setPath(input, field, splitList(raw, /,/));
    else setPath(input, field, raw);
  }
  const result = programSettingsSchema.safeParse(input);
  if (result.success) return { ok: true, settings: result.data };
  const fieldErrors: FieldErrors = {};
  for (const [key, message] of Object.entries(settingsFieldErrors(result.error))) {
    const field = key.replace(/^(excludedProductIds|excludedOrderTags)\.\d+$/, "$1");
    fieldErrors[field] ??= message;
  }
  return { ok: false, fieldErrors };
}

export type SaveSettingsResult = { ok: true; version: number; changed: boolean } | { ok: false; fieldErrors: FieldErrors };

export async function saveSettingsFromForm(shopId: string, form: FormData, actor: string): Promise<SaveSettingsResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await prisma.$transaction(async (tx) => {
        const current = await currentSettings(tx, shopId);
        const parsed = parseSettingsForm(form, current.settings);
        if (!parsed.ok) return parsed;
        // saveSettings writes nothing when the settings equal the current version.
        const saved = await saveSettings(tx, shopId, parsed.settings, actor);
        return { ok: true as const, version: saved.version, changed: saved.version !== current.version };
      });
    } catch (error) {
      // Two saves at once both chose the next version number: the later one tries again on top.
      if (attempt < 3 && isUniqueViolation(error)) continue;
      throw error;
    }
  }
}

function wholeNumber(raw: string): number {
  return /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : Number.NaN;
}

export function parseRewardForm(form: FormData): { ok: true; reward: Omit<RewardRow, "id"> } | { ok: false; fieldErrors: FieldErrors } {
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value.trim() : "";
  };
  const input = {
    id: "form",
    name: text("name"),
    pointsCost: wholeNumber(text("pointsCost")),
    discountType: text("discountType"),
    value: text("value"),
    minSubtotal: text("minSubtotal") === "" ? null : text("minSubtotal"),
    validityDays: wholeNumber(text("validityDays")),
    active: text("active") !== "false",
  };
  const result = rewardOptionSchema.safeParse(input);
  if (!result.success) {
    const fieldErrors = settingsFieldErrors(result.error);
    // zod runs the value check (a refinement) only once every field has its type; check it on
    // its own too, so the form shows every problem at once.
    if (!fieldErrors.value && !fieldErrors.discountType) {
      const valueOnly = rewardOptionSchema.safeParse({ ...input, name: "x", pointsCost: 1, minSubtotal: null, validityDays: 1 });
      if (!valueOnly.success) Object.assign(fieldErrors, { value: settingsFieldErrors(valueOnly.error).value });
    }
    return { ok: false, fieldErrors: Object.fromEntries(Object.entries(fieldErrors).filter(([, m]) => m !== undefined)) };
  }
  const reward = result.data;
  return {
    ok: true,
    reward: {
      name: reward.name,
      pointsCost: reward.pointsCost,
      discountType: reward.discountType,
      value: reward.discountType === "free_shipping" ? "0" : reward.value,
      minSubtotal: reward.minSubtotal,
      validityDays: reward.validityDays,
      active: reward.active,
    },
  };
}

export type SaveRewardResult = { ok: true; reward: RewardRow; created: boolean } | { ok: false; fieldErrors: FieldErrors } | { ok: false; notFound: true };

/** rewardId "new" creates; any other id must be one of this shop's rewards. */
export async function saveRewardFromForm(shopId: string, rewardId: string, form: FormData): Promise<SaveRewardResult> {
  const parsed = parseRewardForm(form);
  if (!parsed.ok) return parsed;
  // Every reward change also queues the storefront's program metafield (the launcher's reward list).
  if (rewardId === "new") {
    const created = await prisma.$transaction(async (tx) => {
      const row = await tx.reward.create({ data: { shopId, ...parsed.reward } });
      await programChanged(tx, shopId);
      return row;
    });
    return { ok: true, reward: rewardRow(created), created: true };
  }
  const count = await prisma.$transaction(async (tx) => {
    const updated = await tx.reward.updateMany({ where: { id: rewardId, shopId }, data: parsed.reward });
    if (updated.count === 1) await programChanged(tx, shopId);
    return updated.count;
  });
  if (count === 0) return { ok: false, notFound: true };
  return { ok: true, reward: rewardRow(await prisma.reward.findUniqueOrThrow({ where: { id: rewardId } })), created: false };
}

/** Deactivating keeps the row: issued codes and past redemptions still name it. */
export async function setRewardActive(shopId: string, rewardId: string, active: boolean): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.reward.updateMany({ where: { id: rewardId, shopId }, data: { active } });
    if (count === 1) await programChanged(tx, shopId);
    return count === 1;
  });
}
