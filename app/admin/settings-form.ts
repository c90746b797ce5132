// The program settings form as flat text fields (what the browser posts) and back. Shared by the
// page (initial values, dirty check) and the server (parsing the post before zod validates it).
import type { ProgramSettings } from "../domain/settings";

export const SETTINGS_BOOLEAN_FIELDS = [
  "enabled",
  "includeShipping",
  "includeTaxes",
  "testOrdersEarn",
  "welcomeBonusClawback",
  "welcomeCode.enabled",
  "welcomeCode.combinesWith.orderDiscounts",
  "welcomeCode.combinesWith.productDiscounts",
  "welcomeCode.combinesWith.shippingDiscounts",
  "expiredCodesReturnPoints",
] as const;

export const SETTINGS_TEXT_FIELDS = [
  "pointsPerUnit",
  "rounding",
  "excludedProductIds",
  "excludedOrderTags",
  "minOrderSubtotal",
  "pendingDays",
  "campaignStacking",
  "welcomeBonusPoints",
  "welcomeCode.discountType",
  "welcomeCode.value",
  "welcomeCode.validityDays",
  "welcomeCode.minSubtotal",
] as const;

export type SettingsBooleanField = (typeof SETTINGS_BOOLEAN_FIELDS)[number];
export type SettingsTextField = (typeof SETTINGS_TEXT_FIELDS)[number];
export type SettingsFormValues = Record<SettingsBooleanField, boolean> & Record<SettingsTextField, string>;

export function settingsToFormValues(settings: ProgramSettings): SettingsFormValues {
  const welcome = settings.welcomeCode;
  return {
    enabled: settings.enabled,
    pointsPerUnit: settings.pointsPerUnit,
    includeShipping: settings.includeShipping,
    includeTaxes: settings.includeTaxes,
    rounding: settings.rounding,
    excludedProductIds: settings.excludedProductIds.join(", "),
    excludedOrderTags: settings.excludedOrderTags.join(", "),
    minOrderSubtotal: settings.minOrderSubtotal ?? "",
    testOrdersEarn: settings.testOrdersEarn,
    pendingDays: String(settings.pendingDays),
    campaignStacking: settings.campaignStacking,
    welcomeBonusPoints: String(settings.welcomeBonusPoints),
    welcomeBonusClawback: settings.welcomeBonusClawback,
    "welcomeCode.enabled": welcome.enabled,
    "welcomeCode.discountType": welcome.discountType,
    "welcomeCode.value": welcome.value,
    "welcomeCode.validityDays": String(welcome.validityDays),
    "welcomeCode.minSubtotal": welcome.minSubtotal ?? "",
    "welcomeCode.combinesWith.orderDiscounts": welcome.combinesWith.orderDiscounts,
    "welcomeCode.combinesWith.productDiscounts": welcome.combinesWith.productDiscounts,
    "welcomeCode.combinesWith.shippingDiscounts": welcome.combinesWith.shippingDiscounts,
    expiredCodesReturnPoints: settings.expiredCodesReturnPoints,
  };
}

/** What the page posts: every field, booleans as "true"/"false". */
export function settingsFormData(values: SettingsFormValues): Record<string, string> {
  const data: Record<string, string> = { intent: "saveSettings" };
  for (const field of SETTINGS_BOOLEAN_FIELDS) data[field] = values[field] ? "true" : "false";
  for (const field of SETTINGS_TEXT_FIELDS) data[field] = values[field];
  return data;
}

export interface RewardFormValues {
  name: string;
  pointsCost: string;
  discountType: "fixed_amount" | "percentage" | "free_shipping";
  value: string;
  minSubtotal: string;
  validityDays: string;
  active: boolean;
}

export const EMPTY_REWARD: RewardFormValues = {
  name: "",
  pointsCost: "",
  discountType: "fixed_amount",
  value: "",
  minSubtotal: "",
  validityDays: "30",
  active: true,
};

/** What the settings page's action answers, per intent (the page's forms read it through their fetchers). */
export type SettingsActionData =
  | { intent: "saveSettings"; ok: true; version: number; changed: boolean }
  | { intent: "saveSettings"; ok: false; fieldErrors: Record<string, string> }
  | { intent: "saveReward"; ok: true; rewardId: string; created: boolean }
  | { intent: "saveReward"; ok: false; rewardId: string; fieldErrors: Record<string, string> }
  | { intent: "setRewardActive"; ok: true; rewardId: string; active: boolean };
