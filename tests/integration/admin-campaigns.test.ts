// Campaign list and campaign page: windows typed in the shop's time zone, overlap warnings with the
// stacking policy, the cost preview on recent orders, ending early, and shop scoping.
import { beforeEach, describe, expect, it } from "vitest";
import * as listRoute from "../../app/routes/app.campaigns._index";
import * as campaignRoute from "../../app/routes/app.campaigns.$id";
import { installShop, prisma, resetDatabase } from "../support/app";
import { adminRequest, bearerRequest } from "../../dev/shopify-requests";
import { sendWebhook } from "../support/webhooks";
import { orderPayload } from "../../dev/payloads/order-fixtures";
import { saveSettings } from "../../app/features/program/save-settings.server";
import { programSettingsSchema } from "../../app/domain/settings";
import { TEST_SHOP } from "../../dev/harness/test-env";

const OTHER_SHOP = "other-shop.myshopify.com";
const ZONE = "America/New_York";

type CampaignData = Awaited<ReturnType<typeof campaignRoute.loader>>;
type ListData = Awaited<ReturnType<typeof listRoute.loader>>;

async function load<T>(mod: { loader: (args: any) => Promise<T> }, path: string, params: Record<string, string> = {}, shop = TEST_SHOP): Promise<T | Response> {
  try {
    return await mod.loader({ request: await adminRequest(path, {}, shop), params, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

async function post(id: string, fields: Record<string, string>, shop = TEST_SHOP): Promise<{ status: number; body: any; location: string | null }> {
  const request = await bearerRequest(`/app/campaigns/${id}`, { method: "POST", body: new URLSearchParams(fields) }, shop);
  let response: Response;
  try {
    response = await campaignRoute.action({ request, params: { id }, context: {} });
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    response = thrown;
  }
  const text = await response.text();
  return { status: response.status, body: text.startsWith("{") ? JSON.parse(text) : text, location: response.headers.get("Location") };
}

const fields = (changes: Record<string, string> = {}) => ({
  intent: "save",
  name: "Winter double points",
  multiplier: "2",
  startsAt: "2027-01-15T00:00",
  endsAt: "2027-01-18T00:00",
  minSubtotal: "",
  firstOrderOnly: "false",
  promoCode: "",
  ...changes,
});

async function shopRow(domain = TEST_SHOP) {
  return prisma.shop.findUniqueOrThrow({ where: { domain } });
}

async function campaignRow(data: { name: string; multiplier?: string; startsAt: string; endsAt: string; endedAt?: string; domain?: string; promoCode?: string }) {
  const shop = await shopRow(data.domain);
  return prisma.campaign.create({
    data: {
      shopId: shop.id,
      name: data.name,
      multiplier: data.multiplier ?? "2",
      startsAt: new Date(data.startsAt),
      endsAt: new Date(data.endsAt),
      endedAt: data.endedAt ? new Date(data.endedAt) : null,
      promoCode: data.promoCode ?? null,
    },
  });
}

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

describe("creating and editing campaigns", () => {
  beforeEach(async () => {
    await resetDatabase();
    const shop = await installShop();
    await prisma.shop.update({ where: { id: shop.id }, data: { ianaTimezone: ZONE } });
  });

  it("the new-campaign page starts from the next local midnight for three days", async () => {
    const data = (await load(campaignRoute, "/app/campaigns/new", { id: "new" })) as CampaignData;
    expect(data.isNew).toBe(true);
    expect(data.form.startsAt).toMatch(/^\d{4}-\d{2}-\d{2}T00:00$/);
    expect(data.form.endsAt).toMatch(/T00:00$/);
    expect(data.timeZoneLabel).toContain("America/New York");
  });

  it("creates a campaign from local times in the shop's zone and redirects to it", async () => {
    const res = await post("new", fields({ multiplier: "1.5", minSubtotal: "50", firstOrderOnly: "true", promoCode: "WINTER" }));
    expect(res.status).toBe(302);
    const row = await prisma.campaign.findFirstOrThrow();
    expect(res.location).toContain(`/app/campaigns/${row.id}`);
    expect(row).toMatchObject({ name: "Winter double points", multiplier: "1.5", minSubtotal: "50", firstOrderOnly: true, promoCode: "WINTER", endedAt: null });
    // Midnight in New York in January is 05:00 UTC.
    expect(row.startsAt.toISOString()).toBe("2027-01-15T05:00:00.000Z");
    expect(row.endsAt.toISOString()).toBe("2027-01-18T05:00:00.000Z");

    const data = (await load(campaignRoute, `/app/campaigns/${row.id}`, { id: row.id })) as CampaignData;
    expect(data.campaign).toMatchObject({ status: "scheduled", startsAtText: "Jan 15, 2027, 12:00 AM", endsAtText: "Jan 18, 2027, 12:00 AM" });
    expect(data.form).toMatchObject({ startsAt: "2027-01-15T00:00", endsAt: "2027-01-18T00:00", multiplier: "1.5" });
  });

  it("a local time inside the spring-forward gap moves to the first valid instant", async () => {
    await post("new", fields({ startsAt: "2027-03-14T02:30", endsAt: "2027-03-15T00:00" }));
    const row = await prisma.campaign.findFirstOrThrow();
    expect(row.startsAt.toISOString()).toBe("2027-03-14T07:30:00.000Z"); // 03:30 EDT
  });

  it("invalid input returns a message per field and saves nothing", async () => {
    const res = await post("new", fields({ name: "", multiplier: "1", startsAt: "2027-01-18T00:00", endsAt: "2027-01-15T00:00", minSubtotal: "$5", promoCode: "TWO WORDS" }));
    expect(res.status).toBe(422);
    expect(res.body.fieldErrors).toEqual({
      name: "Give the campaign a name",
      multiplier: "The multiplier must be greater than 1 (2 = double points)",
      endsAt: "The campaign must end after it starts",
      minSubtotal: "Enter an amount like 50 or 49.99 (no currency symbols)",
      promoCode: "A discount code can't contain spaces",
    });
    expect((await post("new", fields({ multiplier: "2.12345", startsAt: "not a date" }))).body.fieldErrors).toEqual({
      multiplier: "Enter a multiplier like 2 or 1.5 (at most 4 decimal places)",
      startsAt: "Enter a valid start date and time",
    });
    expect(await prisma.campaign.count()).toBe(0);
  });

  it("edits a campaign; an ended campaign can't be edited", async () => {
    const c = await campaignRow({ name: "Old name", startsAt: "2027-01-01T00:00:00Z", endsAt: "2027-01-02T00:00:00Z" });
    expect(await post(c.id, fields({ name: "New name", multiplier: "3" }))).toMatchObject({ status: 200, body: { ok: true } });
    expect(await prisma.campaign.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({ name: "New name", multiplier: "3" });

    const past = await campaignRow({ name: "Past", startsAt: "2025-01-01T00:00:00Z", endsAt: "2025-01-02T00:00:00Z" });
    const res = await post(past.id, fields({ name: "Changed" }));
    expect(res.status).toBe(422);
    expect(res.body.fieldErrors._form).toMatch(/ended/);
    expect((await prisma.campaign.findUniqueOrThrow({ where: { id: past.id } })).name).toBe("Past");
  });

  it("ending sets endedAt to now once; the campaign then reads as ended", async () => {
    const c = await campaignRow({ name: "Running", startsAt: daysAgo(1), endsAt: daysAgo(-5) });
    const before = Date.now();
    expect(await post(c.id, { intent: "end" })).toMatchObject({ status: 200, body: { intent: "end", ok: true } });
    const ended = await prisma.campaign.findUniqueOrThrow({ where: { id: c.id } });
    expect(ended.endedAt!.getTime()).toBeGreaterThanOrEqual(before);
    expect(ended.endedAt!.getTime()).toBeLessThanOrEqual(Date.now());
    await post(c.id, { intent: "end" });
    expect((await prisma.campaign.findUniqueOrThrow({ where: { id: c.id } })).endedAt).toEqual(ended.endedAt);
    const data = (await load(campaignRoute, `/app/campaigns/${c.id}`, { id: c.id })) as CampaignData;
    expect(data.campaign?.status).toBe("ended");
  });
});

describe("campaign list, overlaps and cost preview", () => {
  beforeEach(async () => {
    await resetDatabase();
    const shop = await installShop();
    await prisma.shop.update({ where: { id: shop.id }, data: { ianaTimezone: ZONE } });
  });

  it("lists campaigns with their status and window in the shop's zone", async () => {
    await campaignRow({ name: "Past", startsAt: "2025-06-01T04:00:00Z", endsAt: "2025-06-02T04:00:00Z" });
    await campaignRow({ name: "Now", startsAt: daysAgo(1), endsAt: daysAgo(-1) });
    await campaignRow({ name: "Later", startsAt: "2099-07-04T04:00:00Z", endsAt: "2099-07-05T04:00:00Z" });
    await campaignRow({ name: "Stopped", startsAt: daysAgo(2), endsAt: daysAgo(-2), endedAt: daysAgo(1) });
    const data = (await load(listRoute, "/app/campaigns")) as ListData;
    const byName = Object.fromEntries(data.campaigns.map((c) => [c.name, c]));
    expect(byName.Past).toMatchObject({ status: "ended", startsAtText: "Jun 1, 2025, 12:00 AM", endsAtText: "Jun 2, 2025, 12:00 AM" });
    expect(byName.Now?.status).toBe("active");
    expect(byName.Later?.status).toBe("scheduled");
    expect(byName.Stopped?.status).toBe("ended");
    // "Now" and "Stopped" shared time, but Stopped has ended: only live campaigns are flagged.
    expect(data.campaigns.every((c) => c.overlapsWith.length === 0)).toBe(true);
  });

  it("warns about overlapping campaigns by name, with the stacking policy that applies", async () => {
    const a = await campaignRow({ name: "Weekend", startsAt: "2099-01-01T00:00:00Z", endsAt: "2099-01-03T00:00:00Z" });
    await campaignRow({ name: "Saturday", multiplier: "1.5", startsAt: "2099-01-02T00:00:00Z", endsAt: "2099-01-02T12:00:00Z" });
    await campaignRow({ name: "Next week", startsAt: "2099-01-08T00:00:00Z", endsAt: "2099-01-09T00:00:00Z" });
    let data = (await load(campaignRoute, `/app/campaigns/${a.id}`, { id: a.id })) as CampaignData;
    expect(data.overlap).toMatchObject({ stacking: "highest", campaigns: [{ name: "Saturday", multiplier: "1.5" }] });

    const shop = await shopRow();
    await prisma.$transaction((tx) => saveSettings(tx, shop.id, programSettingsSchema.parse({ campaignStacking: "multiply" }), "staff:test"));
    data = (await load(campaignRoute, `/app/campaigns/${a.id}`, { id: a.id })) as CampaignData;
    expect(data.overlap?.stacking).toBe("multiply");

    const list = (await load(listRoute, "/app/campaigns")) as ListData;
    expect(list.campaigns.find((c) => c.name === "Weekend")?.overlapsWith).toEqual(["Saturday"]);
    expect(list.campaigns.find((c) => c.name === "Next week")?.overlapsWith).toEqual([]);

    // The live preview of an unsaved window warns too (nothing is written).
    const preview = await post("new", { ...fields({ startsAt: "2099-01-08T12:00", endsAt: "2099-01-08T13:00" }), intent: "preview" });
    expect(preview.body).toMatchObject({ intent: "preview", ok: true, overlap: { campaigns: [{ name: "Next week" }] } });
    // While the multiplier is still being typed the overlap shows; the cost waits for a valid one.
    const typing = await post("new", { ...fields({ multiplier: "1,", startsAt: "2099-01-08T12:00", endsAt: "2099-01-08T13:00" }), intent: "preview" });
    expect(typing.body).toMatchObject({ ok: true, overlap: { campaigns: [{ name: "Next week" }] }, preview: null });
    expect((await post("new", { ...fields({ endsAt: "" }), intent: "preview" })).body).toEqual({ intent: "preview", ok: false });
    expect(await prisma.campaign.count()).toBe(3);
  });

  it("previews the extra points on the last 30 days of orders with the earning arithmetic", async () => {
    const lines = [
      { id: 1, price: "60.00" },
      { id: 2, price: "29.99" },
    ];
    // Each order's base is 89.99: 89 points at 1 per dollar rounded down, 179 at 2x: 90 extra.
    await sendWebhook("orders/paid", orderPayload({ id: 501, customerId: 1, processedAt: daysAgo(3), lines }));
    await sendWebhook("orders/paid", orderPayload({ id: 502, customerId: 1, processedAt: daysAgo(2), lines, discountCodes: ["winter"] }));
    await sendWebhook("orders/paid", orderPayload({ id: 503, customerId: 2, processedAt: daysAgo(1), lines: [{ id: 3, price: "10.00" }] }));
    await sendWebhook("orders/paid", orderPayload({ id: 504, customerId: 3, processedAt: daysAgo(45), lines }));
    await sendWebhook("orders/paid", orderPayload({ id: 505, customerId: null, processedAt: daysAgo(1), lines }));

    const all = await post("new", { ...fields(), intent: "preview" });
    expect(all.body.preview).toEqual({ days: 30, ordersConsidered: 3, qualifyingOrders: 3, extraPoints: 90 + 90 + 10, extraValue: null });

    const shop = await shopRow();
    await prisma.reward.create({ data: { shopId: shop.id, name: "$5 off", pointsCost: 500, discountType: "fixed_amount", value: "5" } });
    const withCode = await post("new", { ...fields({ promoCode: "WINTER", multiplier: "1.5" }), intent: "preview" });
    // 89.99 x 1.5 = 134.985 -> 134; 134 - 89 = 45 points, worth 45 x 5 / 500 = $0.45.
    expect(withCode.body.preview).toMatchObject({ qualifyingOrders: 1, extraPoints: 45, extraValue: "0.45" });

    const firstOrders = await post("new", { ...fields({ firstOrderOnly: "true" }), intent: "preview" });
    expect(firstOrders.body.preview).toMatchObject({ qualifyingOrders: 2, extraPoints: 100 });
    const bigOrders = await post("new", { ...fields({ minSubtotal: "50" }), intent: "preview" });
    expect(bigOrders.body.preview).toMatchObject({ qualifyingOrders: 2, extraPoints: 180 });

    // The saved campaign's page shows the same preview.
    await post("new", fields({ promoCode: "WINTER", multiplier: "1.5" }));
    const saved = await prisma.campaign.findFirstOrThrow();
    const data = (await load(campaignRoute, `/app/campaigns/${saved.id}`, { id: saved.id })) as CampaignData;
    expect(data.preview).toMatchObject({ qualifyingOrders: 1, extraPoints: 45 });
  });

  it("another shop's campaign is not found: page, save, end and preview all 404", async () => {
    await installShop(OTHER_SHOP);
    const theirs = await campaignRow({ name: "Theirs", startsAt: daysAgo(1), endsAt: daysAgo(-1), domain: OTHER_SHOP });
    const page = await load(campaignRoute, `/app/campaigns/${theirs.id}`, { id: theirs.id });
    expect(page).toBeInstanceOf(Response);
    expect((page as Response).status).toBe(404);
    expect((await post(theirs.id, fields({ name: "Mine" }))).status).toBe(404);
    expect((await post(theirs.id, { intent: "end" })).status).toBe(404);
    expect((await post(theirs.id, { ...fields(), intent: "preview" })).status).toBe(404);
    expect(await prisma.campaign.findUniqueOrThrow({ where: { id: theirs.id } })).toMatchObject({ name: "Theirs", endedAt: null });
    const mine = (await load(listRoute, "/app/campaigns")) as ListData;
    expect(mine.campaigns).toEqual([]);
    expect(((await load(campaignRoute, "/app/campaigns/nope", { id: "nope" })) as Response).status).toBe(404);
  });
});
