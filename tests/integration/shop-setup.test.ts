import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { installShop, prisma, resetDatabase } from "../support/app";
import { installAdminFake } from "../support/admin-fake";
import { drainJobs } from "../support/jobs";
import { enqueueShopSetup } from "../../app/features/shops/lifecycle.server";
import { saveSettings } from "../../app/features/program/save-settings.server";
import { programSettingsSchema } from "../../app/domain/settings";
import type { ShopifyAdminFake } from "../../dev/shopify-admin-fake";
import { TEST_SHOP } from "../../dev/harness/test-env";

let fake: ShopifyAdminFake;
let uninstall: () => void;
let shopId: string;

beforeEach(async () => {
  await resetDatabase();
  shopId = (await installShop()).id;
  ({ fake, uninstall } = installAdminFake());
});
afterEach(() => uninstall());

const program = () => JSON.parse(fake.getMetafield(TEST_SHOP, fake.appInstallationId(TEST_SHOP), "loyalty", "program")!.value);

describe("shop setup and the storefront's program metafield", () => {
  it("after install the shop's time zone and currency are learned, the balance metafield is made storefront-readable, and the program is published", async () => {
    await prisma.$transaction((tx) => enqueueShopSetup(tx, shopId));
    await drainJobs(10_000);
    await drainJobs(60_000); // the program sync it queued
    expect(await prisma.shop.findUniqueOrThrow({ where: { id: shopId } })).toMatchObject({ ianaTimezone: "America/New_York", currencyCode: "USD" });
    const [definition] = fake.metafieldDefinitions(TEST_SHOP);
    expect(definition).toMatchObject({ key: "points", ownerType: "CUSTOMER" });
    expect(JSON.stringify(definition)).toContain("PUBLIC_READ");
    expect(program()).toMatchObject({ enabled: true, pointsPerUnit: "1", rounding: "down", currencyCode: "USD", campaign: null, rewards: [] });
  });

  it("a settings change republishes the program; a running campaign is promised until it ends, then no longer", async () => {
    const now = Date.now();
    await prisma.campaign.create({ data: { shopId, name: "Double points weekend", multiplier: "2", startsAt: new Date(now - 3_600_000), endsAt: new Date(now + 3_600_000) } });
    await prisma.reward.create({ data: { shopId, name: "$5 off", pointsCost: 500, discountType: "fixed_amount", value: "5.00" } });
    await prisma.$transaction((tx) => saveSettings(tx, shopId, programSettingsSchema.parse({ pointsPerUnit: "2" }), "staff:test"));
    await drainJobs(10_000);
    expect(program()).toMatchObject({ pointsPerUnit: "2", campaign: { name: "Double points weekend", multiplier: "2" }, rewards: [{ name: "$5 off", pointsCost: 500 }] });
    // The job scheduled itself for the campaign's end.
    await drainJobs(3_600_000 + 60_000);
    expect(program().campaign).toBeNull();
  });
});
