// The settings page's loader and action, called the way Remix calls them, with requests carrying a
// valid session token (Shopify's own test helpers) for the offline session installShop stores.
import { beforeEach, describe, expect, it } from "vitest";
import * as settingsRoute from "../../app/routes/app.settings";
import { installShop, prisma, resetDatabase } from "../support/app";
import { adminRequest, bearerRequest } from "../../dev/shopify-requests";
import { DEFAULT_PROGRAM_SETTINGS } from "../../app/domain/settings";
import { settingsFormData, settingsToFormValues } from "../../app/admin/settings-form";
import { TEST_APP_URL, TEST_SHOP } from "../../dev/harness/test-env";

const OTHER_SHOP = "other-shop.myshopify.com";

async function load(path = "/app/settings", shop = TEST_SHOP) {
  try {
    return await settingsRoute.loader({ request: await adminRequest(path, {}, shop), params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

async function post(fields: Record<string, string>, shop = TEST_SHOP): Promise<{ status: number; body: any }> {
  const request = await bearerRequest("/app/settings", { method: "POST", body: new URLSearchParams(fields) }, shop);
  let response: Response;
  try {
    response = await settingsRoute.action({ request, params: {}, context: {} });
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    response = thrown;
  }
  const text = await response.text();
  return { status: response.status, body: text.startsWith("{") ? JSON.parse(text) : text };
}

/** The whole form as the page posts it, from the defaults with some fields changed. */
function form(changes: Record<string, string> = {}): Record<string, string> {
  return { ...settingsFormData(settingsToFormValues(DEFAULT_PROGRAM_SETTINGS)), ...changes };
}

async function storedVersions(domain = TEST_SHOP) {
  const shop = await prisma.shop.findUniqueOrThrow({ where: { domain } });
  return prisma.programSettings.findMany({ where: { shopId: shop.id }, orderBy: { version: "asc" } });
}

describe("program settings", () => {
  beforeEach(async () => {
    await resetDatabase();
    await installShop();
  });

  it("a fresh install shows the documented defaults as version 0", async () => {
    const data = (await load()) as Awaited<ReturnType<typeof settingsRoute.loader>>;
    expect(data.version).toBe(0);
    expect(data.values).toEqual(settingsToFormValues(DEFAULT_PROGRAM_SETTINGS));
    expect(data.rewards).toEqual([]);
    expect(data.currencyCode).toBe("USD");
  });

  it("saves every field, and saving the same settings again writes no new version", async () => {
    const fields = form({
      enabled: "true",
      pointsPerUnit: "2.5",
      includeShipping: "true",
      includeTaxes: "true",
      rounding: "nearest",
      excludedProductIds: "632910392, gid://shopify/Product/7\n8",
      excludedOrderTags: "Wholesale, staff ,wholesale",
      minOrderSubtotal: "20",
      testOrdersEarn: "true",
      pendingDays: "14",
      campaignStacking: "multiply",
      welcomeBonusPoints: "100",
      welcomeBonusClawback: "false",
      "welcomeCode.enabled": "true",
      "welcomeCode.discountType": "fixed_amount",
      "welcomeCode.value": "5",
      "welcomeCode.validityDays": "60",
      "welcomeCode.minSubtotal": "25.50",
      "welcomeCode.combinesWith.orderDiscounts": "true",
      "welcomeCode.combinesWith.productDiscounts": "false",
      "welcomeCode.combinesWith.shippingDiscounts": "true",
      expiredCodesReturnPoints: "false",
    });
    const first = await post(fields);
    expect(first).toMatchObject({ status: 200, body: { intent: "saveSettings", ok: true, version: 1, changed: true } });
    const [v1] = await storedVersions();
    expect(v1).toMatchObject({ version: 1, actor: "staff:offline_test-shop.myshopify.com" });
    expect(JSON.parse(v1!.settings)).toEqual({
      enabled: true,
      pointsPerUnit: "2.5",
      includeShipping: true,
      includeTaxes: true,
      rounding: "nearest",
      excludedProductIds: ["632910392", "7", "8"],
      excludedOrderTags: ["Wholesale", "staff"],
      minOrderSubtotal: "20",
      testOrdersEarn: true,
      pendingDays: 14,
      campaignStacking: "multiply",
      welcomeBonusPoints: 100,
      welcomeBonusClawback: false,
      welcomeCode: {
        enabled: true,
        discountType: "fixed_amount",
        value: "5",
        validityDays: 60,
        minSubtotal: "25.50",
        combinesWith: { orderDiscounts: true, productDiscounts: false, shippingDiscounts: true },
      },
      expiredCodesReturnPoints: false,
    });

    const again = await post(fields);
    expect(again).toMatchObject({ status: 200, body: { ok: true, version: 1, changed: false } });
    // The form as the page reloads it posts back to the same settings: still one version.
    const reloaded = (await load()) as Awaited<ReturnType<typeof settingsRoute.loader>>;
    expect(await post(settingsFormData(reloaded.values))).toMatchObject({ body: { ok: true, version: 1, changed: false } });
    expect(await storedVersions()).toHaveLength(1);
    expect(reloaded.version).toBe(1);
  });

  it("invalid fields come back with a message each, keyed by field, and nothing is saved", async () => {
    const res = await post(
      form({
        pointsPerUnit: "abc",
        pendingDays: "-1",
        excludedProductIds: "123, shoes",
        minOrderSubtotal: "$20",
        welcomeBonusPoints: "1.5",
        "welcomeCode.enabled": "true",
        "welcomeCode.discountType": "percentage",
        "welcomeCode.value": "150",
        "welcomeCode.validityDays": "0",
      }),
    );
    expect(res.status).toBe(422);
    expect(res.body.ok).toBe(false);
    expect(res.body.fieldErrors).toEqual({
      pointsPerUnit: "Enter a number like 1 or 0.5 (no currency symbols or commas)",
      pendingDays: "Pending days must be at least 0",
      excludedProductIds: '"shoes" is not a product ID (use a number like 632910392 or gid://shopify/Product/632910392)',
      minOrderSubtotal: "Enter a number like 1 or 0.5 (no currency symbols or commas)",
      welcomeBonusPoints: "Welcome bonus must be a whole number",
      "welcomeCode.value": "A percentage discount can be at most 100",
      "welcomeCode.validityDays": "Validity must be at least 1",
    });
    expect(await storedVersions()).toHaveLength(0);
  });

  it("one invalid field among valid changes saves nothing", async () => {
    const res = await post(form({ pointsPerUnit: "3", rounding: "sideways" }));
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.fieldErrors)).toEqual(["rounding"]);
    expect(await storedVersions()).toHaveLength(0);
  });

  it("fields left out of a post keep their saved values", async () => {
    await post(form({ pointsPerUnit: "3", welcomeBonusPoints: "50" }));
    const res = await post({ intent: "saveSettings", pendingDays: "7" });
    expect(res.body).toMatchObject({ ok: true, version: 2 });
    const latest = JSON.parse((await storedVersions()).at(-1)!.settings);
    expect(latest).toMatchObject({ pointsPerUnit: "3", welcomeBonusPoints: 50, pendingDays: 7 });
  });

  it("settings are per shop", async () => {
    await installShop(OTHER_SHOP);
    await post(form({ pointsPerUnit: "9" }), OTHER_SHOP);
    expect(await storedVersions()).toHaveLength(0);
    expect(JSON.parse((await storedVersions(OTHER_SHOP))[0]!.settings).pointsPerUnit).toBe("9");
    const mine = (await load()) as Awaited<ReturnType<typeof settingsRoute.loader>>;
    expect(mine.values.pointsPerUnit).toBe("1");
  });

  it("a post without a valid session token is refused and writes nothing", async () => {
    const request = new Request(`${TEST_APP_URL}/app/settings`, { method: "POST", body: new URLSearchParams(form({ pointsPerUnit: "5" })) });
    let status = 0;
    try {
      status = (await settingsRoute.action({ request, params: {}, context: {} })).status;
    } catch (thrown) {
      if (!(thrown instanceof Response)) throw thrown;
      status = thrown.status;
    }
    expect(status).toBeGreaterThanOrEqual(300);
    expect(await prisma.programSettings.count()).toBe(0);
  });
});

describe("rewards", () => {
  beforeEach(async () => {
    await resetDatabase();
    await installShop();
  });

  const reward = (changes: Record<string, string> = {}) => ({
    intent: "saveReward",
    rewardId: "new",
    name: "$5 off",
    pointsCost: "500",
    discountType: "fixed_amount",
    value: "5",
    minSubtotal: "",
    validityDays: "30",
    active: "true",
    ...changes,
  });

  it("adds, edits, deactivates and reactivates a reward", async () => {
    const created = await post(reward());
    expect(created).toMatchObject({ status: 200, body: { intent: "saveReward", ok: true, created: true } });
    const id = created.body.rewardId as string;
    expect(await prisma.reward.findUniqueOrThrow({ where: { id } })).toMatchObject({
      name: "$5 off",
      pointsCost: 500,
      discountType: "fixed_amount",
      value: "5",
      minSubtotal: null,
      validityDays: 30,
      active: true,
    });

    expect(await post(reward({ rewardId: id, name: "Free shipping", discountType: "free_shipping", value: "", minSubtotal: "30", pointsCost: "300" }))).toMatchObject({ body: { ok: true, created: false } });
    expect(await prisma.reward.findUniqueOrThrow({ where: { id } })).toMatchObject({
      name: "Free shipping",
      discountType: "free_shipping",
      value: "0",
      minSubtotal: "30",
      pointsCost: 300,
    });

    expect(await post({ intent: "setRewardActive", rewardId: id, active: "false" })).toMatchObject({ body: { ok: true, active: false } });
    expect((await prisma.reward.findUniqueOrThrow({ where: { id } })).active).toBe(false);
    await post({ intent: "setRewardActive", rewardId: id, active: "true" });
    expect((await prisma.reward.findUniqueOrThrow({ where: { id } })).active).toBe(true);

    const data = (await load()) as Awaited<ReturnType<typeof settingsRoute.loader>>;
    expect(data.rewards.map((r) => r.name)).toEqual(["Free shipping"]);
  });

  it("an invalid reward returns inline errors and writes nothing", async () => {
    const res = await post(reward({ name: " ", pointsCost: "0", discountType: "percentage", value: "120", validityDays: "400", minSubtotal: "abc" }));
    expect(res.status).toBe(422);
    expect(res.body.fieldErrors).toEqual({
      name: "Give the reward a name",
      pointsCost: "Points cost must be at least 1",
      validityDays: "Validity can be at most 365 days",
      minSubtotal: "Enter an amount like 50 or 49.99",
      value: "A percentage discount can be at most 100",
    });
    const blank = await post(reward({ pointsCost: "", value: "" }));
    expect(blank.body.fieldErrors).toEqual({ pointsCost: "Points cost must be a whole number", value: "Enter a discount greater than 0" });
    expect(await prisma.reward.count()).toBe(0);
  });

  it("another shop's reward is not found", async () => {
    const otherShop = await installShop(OTHER_SHOP);
    const theirs = await prisma.reward.create({ data: { shopId: otherShop.id, name: "Theirs", pointsCost: 100, discountType: "fixed_amount", value: "1" } });
    expect((await post(reward({ rewardId: theirs.id, name: "Mine now" }))).status).toBe(404);
    expect((await post({ intent: "setRewardActive", rewardId: theirs.id, active: "false" })).status).toBe(404);
    expect(await prisma.reward.findUniqueOrThrow({ where: { id: theirs.id } })).toMatchObject({ name: "Theirs", active: true });
  });
});
