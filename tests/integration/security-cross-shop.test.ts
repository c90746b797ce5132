// Tenant isolation: with a valid session token for shop A (Alpha), no admin route and no app-proxy
// route reads or changes anything of shop B (Bravo). Both shops hold real data (orders through the
// signed webhook route, ledger entries, a campaign, a reward, a redemption code, a failed job,
// settings versions). Every attempt below is made once as A against B's ids (it must be refused or
// show only A's data, and B's rows must stay exactly as they were) and once as B, the owner, with
// the very same request (it must work): so a refusal is the shop check, not a malformed request.
//
// The table is keyed by route file. A test fails when a file in app/routes/app.* or proxy.* has no
// entry, when a module exports a loader or action without an attempt, or when an action handles an
// intent the table does not try: a new route or intent needs its cross-shop attempt here.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { Customer } from "@prisma/client";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as layoutRoute from "../../app/routes/app";
import * as dashboardRoute from "../../app/routes/app._index";
import * as customersRoute from "../../app/routes/app.customers._index";
import * as customerRoute from "../../app/routes/app.customers.$id";
import * as campaignsRoute from "../../app/routes/app.campaigns._index";
import * as campaignRoute from "../../app/routes/app.campaigns.$id";
import * as codesRoute from "../../app/routes/app.codes";
import * as flowRoute from "../../app/routes/app.flow";
import * as settingsRoute from "../../app/routes/app.settings";
import * as privacyRoute from "../../app/routes/app.privacy";
import * as exportRoute from "../../app/routes/app.privacy.exports.$id";
import * as balanceRoute from "../../app/routes/proxy.balance";
import * as redeemRoute from "../../app/routes/proxy.redeem";
import { appendEntries } from "../../app/ledger/ledger.server";
import { verifyBalanceCache } from "../../app/ledger/balances.server";
import { saveSettings } from "../../app/features/program/save-settings.server";
import { redeemReward } from "../../app/features/codes/codes.server";
import { clearDailyCache } from "../../app/admin/dashboard.server";
import { DEFAULT_PROGRAM_SETTINGS } from "../../app/domain/settings";
import { settingsFormData, settingsToFormValues } from "../../app/admin/settings-form";
import { createShopifyAdminFake } from "../../dev/shopify-admin-fake";
import { installShop, prisma, resetDatabase } from "../support/app";
import { adminRequest, appProxyRequest, bearerRequest, fakeShopTokens, offlineSession } from "../../dev/shopify-requests";
import { sendWebhook } from "../support/webhooks";
import { orderPayload } from "../../dev/payloads/order-fixtures";

const ALPHA = "alpha-shop.myshopify.com";
const BRAVO = "bravo-shop.myshopify.com";
/** A Shopify customer id both shops know (one person shopping at both): each shop has its own row. */
const SHARED_CUSTOMER = 5555;
const DAY = 86_400_000;

interface ShopData {
  domain: string;
  tag: "alpha" | "bravo";
  shopId: string;
  /** Customers who ordered, richest first, then the shared customer last. */
  customers: Customer[];
  shared: Customer;
  campaignId: string;
  rewardId: string;
  codeId: string;
  code: string;
  failedJobId: string;
  entryIds: string[];
}

interface World {
  alpha: ShopData;
  bravo: ShopData;
}

// Shopify's Admin API, faked for both shops: a storefront redemption creates its code in Shopify at
// once, so the tests also see whether a discount was created in a shop's Shopify store.
const adminFake = createShopifyAdminFake();
let uninstallFake: () => void;
beforeAll(() => {
  for (const shop of [ALPHA, BRAVO]) {
    adminFake.addShop(shop, { ...fakeShopTokens(offlineSession(shop)), scopes: ["read_orders", "read_customers", "write_customers", "write_discounts"] });
  }
  uninstallFake = adminFake.install();
});
afterAll(() => uninstallFake());

// ---------------------------------------------------------------------------------------------
// Seeding: the same kinds of data in both shops, different amounts, every string tagged with the
// shop's name so a leak of B's data into A's page shows up as the word "bravo".

async function seedShop(domain: string, tag: "alpha" | "bravo", orders: { customer: number; price: string }[]): Promise<ShopData> {
  const shop = await installShop(domain);
  const Tag = tag === "alpha" ? "Alpha" : "Bravo";
  const now = Date.now();
  // Settings: Alpha has one saved version (2 points per unit), Bravo two (ending at 3 per unit).
  const rates = tag === "alpha" ? ["2"] : ["4", "3"];
  for (const pointsPerUnit of rates) {
    await prisma.$transaction((tx) => saveSettings(tx, shop.id, { ...DEFAULT_PROGRAM_SETTINGS, pointsPerUnit }, `staff:${tag}-owner`));
  }
  const campaign = await prisma.campaign.create({
    data: { shopId: shop.id, name: `${Tag} double points`, multiplier: "2", startsAt: new Date(now - 2 * DAY), endsAt: new Date(now + 5 * DAY) },
  });
  const reward = await prisma.reward.create({ data: { shopId: shop.id, name: `${Tag} $5 off`, pointsCost: 50, discountType: "fixed_amount", value: "5.00" } });
  // Orders through the signed webhook route: customers, order records, earn + campaign entries, jobs.
  for (const [i, order] of orders.entries()) {
    const res = await sendWebhook(
      "orders/paid",
      orderPayload({
        id: order.customer * 10 + i,
        customerId: order.customer,
        email: `${tag}-shopper-${order.customer}@example.com`,
        processedAt: new Date(now - DAY).toISOString(),
        lines: [{ id: order.customer * 100 + i, price: order.price }],
      }),
      { shop: domain },
    );
    expect(res.status).toBe(200);
  }
  const buyers = await prisma.customer.findMany({ where: { shopId: shop.id }, orderBy: { balance: "desc" } });
  expect(buyers).toHaveLength(new Set(orders.map((o) => o.customer)).size);
  await prisma.customer.updateMany({ where: { shopId: shop.id }, data: { firstName: Tag, lastName: "Shopper" } });
  const shared = await prisma.customer.create({
    data: { shopId: shop.id, shopifyCustomerId: `gid://shopify/Customer/${SHARED_CUSTOMER}`, email: `${tag}-shared@example.com`, firstName: Tag, lastName: "Shared" },
  });
  // A staff adjustment on the richest buyer, and the shared customer's points (10 at Alpha, 900 at Bravo).
  await prisma.$transaction((tx) =>
    appendEntries(tx, [
      { shopId: shop.id, customerId: buyers[0]!.id, points: 100, kind: "manual", availableAt: new Date(), idempotencyKey: `seed:${tag}:goodwill`, actor: `staff:${tag}-owner`, reason: `${Tag} goodwill` },
      {
        shopId: shop.id,
        customerId: shared.id,
        points: tag === "alpha" ? 10 : 900,
        kind: "manual",
        availableAt: new Date(),
        idempotencyKey: `seed:${tag}:shared`,
        actor: `staff:${tag}-owner`,
        reason: `${Tag} shared seed`,
      },
    ]),
  );
  // A reward redeemed: a redemption entry, an issued code (creating) and its job.
  const redeemed = await redeemReward(prisma, { shopId: shop.id, customerId: buyers[0]!.id, rewardId: reward.id, actor: `staff:${tag}-owner` });
  if (!redeemed.ok) throw new Error(`seed redemption failed: ${redeemed.message}`);
  const failedJob = await prisma.outboxJob.create({
    data: { shopId: shop.id, kind: "create_discount_code", payload: JSON.stringify({ codeId: redeemed.code.id }), dedupeKey: `seed:${tag}:failed`, status: "failed", attempts: 8, lastError: `${Tag} access denied` },
  });
  const customers = await prisma.customer.findMany({ where: { shopId: shop.id, id: { not: shared.id } }, orderBy: { balance: "desc" } });
  for (const c of [...customers, shared]) adminFake.seedCustomer(domain, { id: c.shopifyCustomerId, numberOfOrders: 1 });
  const entries = await prisma.ledgerEntry.findMany({ where: { shopId: shop.id }, select: { id: true } });
  return {
    domain,
    tag,
    shopId: shop.id,
    customers: [...customers, shared],
    shared,
    campaignId: campaign.id,
    rewardId: reward.id,
    codeId: redeemed.code.id,
    code: redeemed.code.code,
    failedJobId: failedJob.id,
    entryIds: entries.map((e) => e.id),
  };
}

async function seedWorld(): Promise<World> {
  await resetDatabase();
  clearDailyCache();
  const alpha = await seedShop(ALPHA, "alpha", [{ customer: 7101, price: "120.00" }]);
  const bravo = await seedShop(BRAVO, "bravo", [
    { customer: 8101, price: "250.00" },
    { customer: 8102, price: "90.00" },
  ]);
  return { alpha, bravo };
}

/**
 * Every row of a shop that an admin or storefront action could change (not the proxy replay guard).
 * `ignoreCustomerTouch`: a refused redemption locks the shopper's own row by touching updatedAt only.
 */
async function snapshot(shopId: string, ignoreCustomerTouch = false) {
  const where = { shopId };
  const byId = { orderBy: { id: "asc" as const } };
  const [shop, settings, customers, entries, campaigns, rewards, codes, jobs, orders] = await Promise.all([
    prisma.shop.findUniqueOrThrow({ where: { id: shopId } }),
    prisma.programSettings.findMany({ where, ...byId }),
    prisma.customer.findMany({ where, ...byId }),
    prisma.ledgerEntry.findMany({ where, ...byId }),
    prisma.campaign.findMany({ where, ...byId }),
    prisma.reward.findMany({ where, ...byId }),
    prisma.issuedCode.findMany({ where, ...byId }),
    prisma.outboxJob.findMany({ where, ...byId }),
    prisma.orderRecord.findMany({ where, ...byId }),
  ]);
  const customerRows = ignoreCustomerTouch ? customers.map(({ updatedAt: _touched, ...rest }) => rest) : customers;
  return { shop, settings, customers: customerRows, entries, campaigns, rewards, codes, jobs, orders };
}

/** What identifies Bravo's data on a page or in a JSON answer. */
function bravoMarkers(b: ShopData): string[] {
  return ["bravo", b.shopId, b.campaignId, b.rewardId, b.codeId, b.code.toLowerCase(), b.failedJobId, ...b.customers.map((c) => c.id), ...b.entryIds].map((s) => s.toLowerCase());
}

// ---------------------------------------------------------------------------------------------
// Calling route modules the way Remix does, with requests signed by Shopify's own test helpers.

interface Outcome {
  status: number;
  /** Parsed JSON (a loader's returned object serialised as Remix would), or the text. */
  body: any;
  text: string;
}

async function outcome(run: () => unknown): Promise<Outcome> {
  let result: unknown;
  try {
    result = await run();
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    result = thrown;
  }
  if (result instanceof Response) {
    const text = await result.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: result.status, body, text };
  }
  const text = JSON.stringify(result);
  return { status: 200, body: JSON.parse(text), text };
}

type RouteModule = { loader?: (args: any) => unknown; action?: (args: any) => unknown };

/** An embedded document request (id_token in the URL), as the admin loads a page. */
async function load(mod: RouteModule, shop: string, pathname: string, params: Record<string, string> = {}, spoofShop?: string): Promise<Outcome> {
  let request = await adminRequest(pathname, {}, shop);
  if (spoofShop) {
    const url = new URL(request.url);
    url.searchParams.set("shop", spoofShop);
    request = new Request(url, { headers: request.headers });
  }
  return outcome(() => mod.loader!({ request, params, context: {} }));
}

/** A fetcher/form POST with `Authorization: Bearer <session token>`. */
async function post(mod: RouteModule, shop: string, pathname: string, fields: Record<string, string>, params: Record<string, string> = {}): Promise<Outcome> {
  const request = await bearerRequest(pathname, { method: "POST", body: new URLSearchParams(fields) }, shop);
  return outcome(() => mod.action!({ request, params, context: {} }));
}

/** GET through the app proxy, signed for `shop`, for the logged-in Shopify customer `customer`. */
async function proxyGet(shop: string, customer: string): Promise<Outcome> {
  const request = await appProxyRequest(`/proxy/balance?logged_in_customer_id=${customer}&path_prefix=%2Fapps%2Floyalty`, {}, shop);
  return outcome(() => balanceRoute.loader({ request, params: {}, context: {} }));
}

async function proxyRedeem(shop: string, customer: string, rewardId: string): Promise<Outcome> {
  const request = await appProxyRequest(
    `/proxy/redeem?logged_in_customer_id=${customer}&path_prefix=%2Fapps%2Floyalty`,
    { method: "POST", body: JSON.stringify({ rewardId }), headers: { "Content-Type": "application/json" } },
    shop,
  );
  return outcome(() => redeemRoute.action({ request, params: {}, context: {} }));
}

const numericId = (c: Customer) => c.shopifyCustomerId.replace("gid://shopify/Customer/", "");
const localTime = (ms: number) => new Date(ms).toISOString().slice(0, 16); // both shops are on UTC
const sortIds = (ids: string[]) => [...ids].sort();

// ---------------------------------------------------------------------------------------------
// The table. Each attempt is a request about Bravo's records, sent with the signing shop's session
// token: `run(ctx)` with ctx.as = the signing shop's data and ctx.b = Bravo's (the target).

interface Ctx {
  /** The shop whose session token (or proxy signature) signs the request. */
  as: ShopData;
  /** Bravo, whose records the request names. */
  b: ShopData;
  w: World;
}

interface Attempt {
  what: string;
  kind: "loader" | "action";
  /** For actions: the form intent tried (every intent the route handles must be tried). */
  intent?: string;
  run: (ctx: Ctx) => Promise<Outcome>;
  /** Alpha tried it: refused (4xx) or shown only Alpha's own data. */
  asAlpha: (o: Outcome, w: World) => void | Promise<void>;
  /** Bravo, the owner, sent the same request: it works (proves the request itself is valid). */
  asOwner: (o: Outcome, w: World) => void | Promise<void>;
  /** The attempt legitimately writes Alpha's own rows (e.g. saving Alpha's own settings). */
  writesOwnShop?: boolean;
}

const notFound = (o: Outcome) => expect(o.status).toBe(404);

const ok = (o: Outcome) => expect(o.status).toBe(200);

const dashboardNumbers = async (s: ShopData) => {
  const customers = await prisma.customer.findMany({ where: { shopId: s.shopId } });
  return {
    members: customers.filter((c) => c.lastActivityAt !== null).length,
    pointsOutstanding: customers.reduce((sum, c) => sum + c.balance + c.pending, 0),
    pointsIssued: customers.reduce((sum, c) => sum + c.lifetimeEarned, 0),
  };
};

const adjustForm = () => ({ intent: "adjust", points: "500", reason: "cross-shop gift", nonce: crypto.randomUUID() });
const rewardForm = (rewardId: string) => ({ intent: "saveReward", rewardId, name: "Renamed reward", pointsCost: "1", discountType: "fixed_amount", value: "50.00", minSubtotal: "", validityDays: "30", active: "true" });
const campaignForm = (intent: string, name = "Renamed campaign") => ({
  intent,
  name,
  multiplier: "10",
  startsAt: localTime(Date.now() - DAY),
  endsAt: localTime(Date.now() + 3 * DAY),
  minSubtotal: "",
  firstOrderOnly: "false",
  promoCode: "",
});

/** The shop's stored export for a data request about the shared customer (the signed webhook route; stored once per shop). */
async function sharedCustomerExport(s: ShopData) {
  const payload = { shop_id: 1, shop_domain: s.domain, customer: { id: SHARED_CUSTOMER, email: `${s.tag}-shared@example.com`, phone: null }, orders_requested: [], data_request: { id: 77 } };
  expect((await sendWebhook("customers/data_request", payload, { shop: s.domain })).status).toBe(200);
  return prisma.dataRequestExport.findFirstOrThrow({ where: { shopId: s.shopId, dataRequestId: "77" } });
}

const ROUTES: Record<string, { module: RouteModule; attempts: Attempt[] }> = {
  "app.tsx": {
    module: layoutRoute,
    attempts: [
      {
        what: "layout loader returns the API key only, no shop data",
        kind: "loader",
        run: ({ as }) => load(layoutRoute, as.domain, "/app"),
        asAlpha: (o) => expect(o).toMatchObject({ status: 200, body: { apiKey: "testApiKey" } }),
        asOwner: (o) => expect(o).toMatchObject({ status: 200, body: { apiKey: "testApiKey" } }),
      },
    ],
  },

  "app._index.tsx": {
    module: dashboardRoute,
    attempts: [
      {
        what: "dashboard totals are the signing shop's only",
        kind: "loader",
        run: ({ as }) => load(dashboardRoute, as.domain, "/app?period=90"),
        asAlpha: async (o, w) => {
          ok(o);
          expect(o.body.shopDomain).toBe(ALPHA);
          expect(o.body.dashboard).toMatchObject(await dashboardNumbers(w.alpha));
          expect(o.body.dashboard.pointsRedeemed).toBe(50); // Alpha's one redemption, not Bravo's too
          expect(o.body.dashboard.onboarding.earningRuleSaved).toBe(true);
        },
        asOwner: async (o, w) => {
          ok(o);
          expect(o.body.shopDomain).toBe(BRAVO);
          expect(o.body.dashboard).toMatchObject(await dashboardNumbers(w.bravo));
        },
      },
      {
        what: "dashboard with Bravo's domain put in the URL's shop parameter",
        kind: "loader",
        run: ({ as, b }) => load(dashboardRoute, as.domain, "/app", {}, b.domain),
        asAlpha: async (o, w) => {
          // Either refused, or the token's shop (Alpha) wins: never Bravo's numbers.
          if (o.status === 200) expect(o.body.dashboard).toMatchObject(await dashboardNumbers(w.alpha));
          else expect(o.status).toBeGreaterThanOrEqual(300);
        },
        asOwner: async (o, w) => {
          ok(o);
          expect(o.body.dashboard).toMatchObject(await dashboardNumbers(w.bravo));
        },
      },
    ],
  },

  "app.customers._index.tsx": {
    module: customersRoute,
    attempts: [
      {
        what: "customer list, sorted by balance, shows the signing shop's customers only",
        kind: "loader",
        run: ({ as }) => load(customersRoute, as.domain, "/app/customers?sort=balance&dir=desc"),
        asAlpha: (o, w) => {
          ok(o);
          expect(sortIds(o.body.customers.map((c: { id: string }) => c.id))).toEqual(sortIds(w.alpha.customers.map((c) => c.id)));
        },
        asOwner: (o, w) => {
          ok(o);
          expect(sortIds(o.body.customers.map((c: { id: string }) => c.id))).toEqual(sortIds(w.bravo.customers.map((c) => c.id)));
        },
      },
      {
        what: "customer search for Bravo's shoppers' emails",
        kind: "loader",
        run: ({ as }) => load(customersRoute, as.domain, "/app/customers?q=shopper-81"),
        asAlpha: (o) => expect(o).toMatchObject({ status: 200, body: { customers: [] } }),
        asOwner: (o) => {
          ok(o);
          expect(o.body.customers.map((c: { email: string }) => c.email).sort()).toEqual(["bravo-shopper-8101@example.com", "bravo-shopper-8102@example.com"]);
        },
      },
      {
        what: "customer list with Bravo's domain put in the URL's shop parameter",
        kind: "loader",
        run: ({ as, b }) => load(customersRoute, as.domain, "/app/customers", {}, b.domain),
        asAlpha: (o, w) => {
          if (o.status !== 200) return expect(o.status).toBeGreaterThanOrEqual(300);
          expect(sortIds(o.body.customers.map((c: { id: string }) => c.id))).toEqual(sortIds(w.alpha.customers.map((c) => c.id)));
        },
        asOwner: (o, w) => {
          ok(o);
          expect(o.body.customers).toHaveLength(w.bravo.customers.length);
        },
      },
    ],
  },

  "app.customers.$id.tsx": {
    module: customerRoute,
    attempts: [
      {
        what: "open Bravo's customer page (balance, email, ledger) by id",
        kind: "loader",
        run: ({ as, b }) => load(customerRoute, as.domain, `/app/customers/${b.customers[0]!.id}`, { id: b.customers[0]!.id }),
        asAlpha: notFound,
        asOwner: (o, w) => {
          ok(o);
          expect(o.body.customer).toMatchObject({ id: w.bravo.customers[0]!.id, email: "bravo-shopper-8101@example.com", balance: w.bravo.customers[0]!.balance });
          expect(o.body.ledger.entries.length).toBeGreaterThan(0);
          expect(o.body.ledger.entries.every((e: { id: string }) => w.bravo.entryIds.includes(e.id))).toBe(true);
        },
      },
      {
        what: "open Bravo's customer page, ledger page 2",
        kind: "loader",
        run: ({ as, b }) => load(customerRoute, as.domain, `/app/customers/${b.customers[0]!.id}?page=2`, { id: b.customers[0]!.id }),
        asAlpha: notFound,
        asOwner: (o) => expect(o).toMatchObject({ status: 200, body: { ledger: { page: 2, entries: [] } } }),
      },
      {
        what: "own customer's page offers only own rewards and own ledger entries",
        kind: "loader",
        run: ({ as }) => load(customerRoute, as.domain, `/app/customers/${as.customers[0]!.id}`, { id: as.customers[0]!.id }),
        asAlpha: (o, w) => {
          ok(o);
          expect(o.body.rewards.map((r: { id: string }) => r.id)).toEqual([w.alpha.rewardId]);
          expect(o.body.ledger.entries.every((e: { id: string }) => w.alpha.entryIds.includes(e.id))).toBe(true);
        },
        asOwner: (o, w) => {
          ok(o);
          expect(o.body.rewards.map((r: { id: string }) => r.id)).toEqual([w.bravo.rewardId]);
        },
      },
      {
        what: "adjust Bravo's customer's points (+500)",
        kind: "action",
        intent: "adjust",
        run: ({ as, b }) => post(customerRoute, as.domain, `/app/customers/${b.customers[0]!.id}`, adjustForm(), { id: b.customers[0]!.id }),
        asAlpha: notFound,
        asOwner: async (o, w) => {
          expect(o).toMatchObject({ status: 200, body: { ok: true, duplicate: false, balance: w.bravo.customers[0]!.balance + 500 } });
          expect((await prisma.customer.findUniqueOrThrow({ where: { id: w.bravo.customers[0]!.id } })).balance).toBe(w.bravo.customers[0]!.balance + 500);
        },
      },
      {
        what: "deduct Bravo's customer's points below zero, confirmed",
        kind: "action",
        intent: "adjust",
        run: ({ as, b }) => post(customerRoute, as.domain, `/app/customers/${b.customers[0]!.id}`, { ...adjustForm(), points: "-100000", confirmNegative: "true" }, { id: b.customers[0]!.id }),
        asAlpha: notFound,
        asOwner: (o, w) => expect(o).toMatchObject({ status: 200, body: { ok: true, balance: w.bravo.customers[0]!.balance - 100000 } }),
      },
      {
        what: "adjust Bravo's customer with Bravo's domain put in the URL's shop parameter",
        kind: "action",
        intent: "adjust",
        run: ({ as, b }) => post(customerRoute, as.domain, `/app/customers/${b.customers[0]!.id}?shop=${b.domain}`, adjustForm(), { id: b.customers[0]!.id }),
        asAlpha: notFound,
        asOwner: (o) => expect(o).toMatchObject({ status: 200, body: { ok: true } }),
      },
      {
        what: "redeem Bravo's reward for Bravo's customer (spend Bravo's points)",
        kind: "action",
        intent: "redeem",
        run: ({ as, b }) => post(customerRoute, as.domain, `/app/customers/${b.customers[0]!.id}`, { intent: "redeem", rewardId: b.rewardId }, { id: b.customers[0]!.id }),
        asAlpha: notFound,
        asOwner: (o, w) => {
          expect(o).toMatchObject({ status: 200, body: { intent: "redeem", ok: true, code: expect.stringMatching(/^REWARD-/) } });
          expect(o.body.code).not.toBe(w.bravo.code);
        },
      },
      {
        what: "redeem the signing shop's reward for Bravo's customer",
        kind: "action",
        intent: "redeem",
        run: ({ as, b }) => post(customerRoute, as.domain, `/app/customers/${b.customers[0]!.id}`, { intent: "redeem", rewardId: as.rewardId }, { id: b.customers[0]!.id }),
        asAlpha: notFound,
        asOwner: (o) => expect(o).toMatchObject({ status: 200, body: { ok: true } }),
      },
      {
        what: "redeem Bravo's reward for the signing shop's own customer",
        kind: "action",
        intent: "redeem",
        run: ({ as, b }) => post(customerRoute, as.domain, `/app/customers/${as.customers[0]!.id}`, { intent: "redeem", rewardId: b.rewardId }, { id: as.customers[0]!.id }),
        asAlpha: (o) => expect(o).toMatchObject({ status: 404, body: { ok: false, message: "This reward doesn't exist." } }),
        asOwner: (o) => expect(o).toMatchObject({ status: 200, body: { ok: true } }),
      },
    ],
  },

  "app.campaigns._index.tsx": {
    module: campaignsRoute,
    attempts: [
      {
        what: "campaign list shows the signing shop's campaigns only",
        kind: "loader",
        run: ({ as }) => load(campaignsRoute, as.domain, "/app/campaigns"),
        asAlpha: (o, w) => {
          ok(o);
          expect(o.body.campaigns.map((c: { id: string }) => c.id)).toEqual([w.alpha.campaignId]);
          expect(o.body.campaigns[0].overlapsWith).toEqual([]); // Bravo's campaign runs at the same time
        },
        asOwner: (o, w) => {
          ok(o);
          expect(o.body.campaigns.map((c: { id: string }) => c.id)).toEqual([w.bravo.campaignId]);
        },
      },
    ],
  },

  "app.campaigns.$id.tsx": {
    module: campaignRoute,
    attempts: [
      {
        what: "open Bravo's campaign by id",
        kind: "loader",
        run: ({ as, b }) => load(campaignRoute, as.domain, `/app/campaigns/${b.campaignId}`, { id: b.campaignId }),
        asAlpha: notFound,
        asOwner: (o, w) => expect(o).toMatchObject({ status: 200, body: { isNew: false, campaign: { id: w.bravo.campaignId, name: "Bravo double points" } } }),
      },
      {
        what: "the new-campaign page's overlap warning and cost preview",
        kind: "action",
        intent: "preview",
        run: ({ as }) => post(campaignRoute, as.domain, "/app/campaigns/new", campaignForm("preview", "Overlapping"), { id: "new" }),
        asAlpha: (o, w) => {
          ok(o);
          expect(o.body.overlap.campaigns.map((c: { id: string }) => c.id)).toEqual([w.alpha.campaignId]);
          // The cost preview reads Alpha's one order, not Bravo's two.
          expect(o.body.preview).toMatchObject({ ordersConsidered: 1, qualifyingOrders: 1 });
        },
        asOwner: (o, w) => {
          ok(o);
          expect(o.body.overlap.campaigns.map((c: { id: string }) => c.id)).toEqual([w.bravo.campaignId]);
          expect(o.body.preview).toMatchObject({ ordersConsidered: 2 });
        },
      },
      {
        what: "preview an edit of Bravo's campaign",
        kind: "action",
        intent: "preview",
        run: ({ as, b }) => post(campaignRoute, as.domain, `/app/campaigns/${b.campaignId}`, campaignForm("preview"), { id: b.campaignId }),
        asAlpha: notFound,
        asOwner: (o) => expect(o).toMatchObject({ status: 200, body: { intent: "preview", ok: true } }),
      },
      {
        what: "edit Bravo's campaign (rename, 10× multiplier)",
        kind: "action",
        intent: "save",
        run: ({ as, b }) => post(campaignRoute, as.domain, `/app/campaigns/${b.campaignId}`, campaignForm("save"), { id: b.campaignId }),
        asAlpha: notFound,
        asOwner: async (o, w) => {
          expect(o).toMatchObject({ status: 200, body: { intent: "save", ok: true } });
          expect(await prisma.campaign.findUniqueOrThrow({ where: { id: w.bravo.campaignId } })).toMatchObject({ name: "Renamed campaign", multiplier: "10" });
        },
      },
      {
        what: "end Bravo's campaign now",
        kind: "action",
        intent: "end",
        run: ({ as, b }) => post(campaignRoute, as.domain, `/app/campaigns/${b.campaignId}`, { intent: "end" }, { id: b.campaignId }),
        asAlpha: notFound,
        asOwner: async (o, w) => {
          expect(o).toMatchObject({ status: 200, body: { intent: "end", ok: true } });
          expect((await prisma.campaign.findUniqueOrThrow({ where: { id: w.bravo.campaignId } })).endedAt).not.toBeNull();
        },
      },
    ],
  },

  "app.flow.tsx": {
    module: flowRoute,
    attempts: [
      {
        what: "Shopify Flow page shows the signing shop's trigger states and action runs only",
        kind: "loader",
        run: async ({ as, b }) => {
          // Bravo turned a workflow on and ran the action once.
          await prisma.flowTriggerState.upsert({
            where: { shopId_handle: { shopId: b.shopId, handle: "loyalty-balance-changed" } },
            create: { shopId: b.shopId, handle: "loyalty-balance-changed", enabled: true, callbackAt: new Date() },
            update: {},
          });
          await prisma.flowActionRun.upsert({
            where: { shopId_actionRunId: { shopId: b.shopId, actionRunId: "bravo-run" } },
            create: { shopId: b.shopId, actionRunId: "bravo-run", customerGid: b.shared.shopifyCustomerId, points: 7, reason: "bravo review", outcome: "applied" },
            update: {},
          });
          return load(flowRoute, as.domain, "/app/flow");
        },
        asAlpha: (o) => {
          ok(o);
          expect(o.body.runs).toEqual([]);
          expect(o.body.triggers.map((t: { enabled: boolean | null }) => t.enabled)).toEqual([null, null, null]);
        },
        asOwner: (o) => {
          ok(o);
          expect(o.body.runs.map((r: { reason: string }) => r.reason)).toEqual(["bravo review"]);
          expect(o.body.triggers.find((t: { handle: string }) => t.handle === "loyalty-balance-changed").enabled).toBe(true);
        },
      },
    ],
  },

  "app.codes.tsx": {
    module: codesRoute,
    attempts: [
      {
        what: "codes page lists the signing shop's codes, counts and failed jobs only",
        kind: "loader",
        run: ({ as }) => load(codesRoute, as.domain, "/app/codes"),
        asAlpha: (o, w) => {
          ok(o);
          expect(o.body.codes.map((c: { id: string }) => c.id)).toEqual([w.alpha.codeId]);
          expect(o.body.counts).toEqual({ creating: 1 });
          expect(o.body.jobs.map((j: { id: string }) => j.id)).toEqual([w.alpha.failedJobId]);
        },
        asOwner: (o, w) => {
          ok(o);
          expect(o.body.codes.map((c: { id: string }) => c.id)).toEqual([w.bravo.codeId]);
          expect(o.body.jobs.map((j: { id: string }) => j.id)).toEqual([w.bravo.failedJobId]);
        },
      },
      {
        what: "codes page filtered to Bravo's code status",
        kind: "loader",
        run: ({ as }) => load(codesRoute, as.domain, "/app/codes?status=creating"),
        asAlpha: (o, w) => expect(o.body.codes.map((c: { id: string }) => c.id)).toEqual([w.alpha.codeId]),
        asOwner: (o, w) => expect(o.body.codes.map((c: { id: string }) => c.id)).toEqual([w.bravo.codeId]),
      },
      {
        what: "retry Bravo's failed job",
        kind: "action",
        intent: "retryJob",
        run: ({ as, b }) => post(codesRoute, as.domain, "/app/codes", { intent: "retryJob", jobId: b.failedJobId }),
        asAlpha: notFound,
        asOwner: async (o, w) => {
          expect(o).toMatchObject({ status: 200, body: { ok: true, requeued: true } });
          expect(await prisma.outboxJob.findUniqueOrThrow({ where: { id: w.bravo.failedJobId } })).toMatchObject({ status: "queued", attempts: 0 });
        },
      },
    ],
  },

  "app.settings.tsx": {
    module: settingsRoute,
    attempts: [
      {
        what: "settings page shows the signing shop's settings version and rewards only",
        kind: "loader",
        run: ({ as }) => load(settingsRoute, as.domain, "/app/settings"),
        asAlpha: (o, w) => {
          expect(o).toMatchObject({ status: 200, body: { version: 1, values: { pointsPerUnit: "2" } } });
          expect(o.body.rewards.map((r: { id: string }) => r.id)).toEqual([w.alpha.rewardId]);
        },
        asOwner: (o, w) => {
          expect(o).toMatchObject({ status: 200, body: { version: 2, values: { pointsPerUnit: "3" } } });
          expect(o.body.rewards.map((r: { id: string }) => r.id)).toEqual([w.bravo.rewardId]);
        },
      },
      {
        what: "save settings with Bravo's shop id and domain added to the form",
        kind: "action",
        intent: "saveSettings",
        writesOwnShop: true,
        run: ({ as, b }) =>
          post(settingsRoute, as.domain, "/app/settings", {
            ...settingsFormData(settingsToFormValues({ ...DEFAULT_PROGRAM_SETTINGS, pointsPerUnit: "7" })),
            intent: "saveSettings",
            shopId: b.shopId,
            shop: b.domain,
          }),
        asAlpha: async (o, w) => {
          // Alpha's own settings get version 2; Bravo's versions are untouched (checked for every attempt).
          expect(o).toMatchObject({ status: 200, body: { ok: true, version: 2, changed: true } });
          expect(await prisma.programSettings.count({ where: { shopId: w.alpha.shopId } })).toBe(2);
        },
        asOwner: (o) => expect(o).toMatchObject({ status: 200, body: { ok: true, version: 3, changed: true } }),
      },
      {
        what: "edit Bravo's reward (cost 1 point, $50 off)",
        kind: "action",
        intent: "saveReward",
        run: ({ as, b }) => post(settingsRoute, as.domain, "/app/settings", rewardForm(b.rewardId)),
        asAlpha: notFound,
        asOwner: async (o, w) => {
          expect(o).toMatchObject({ status: 200, body: { ok: true, rewardId: w.bravo.rewardId, created: false } });
          expect(await prisma.reward.findUniqueOrThrow({ where: { id: w.bravo.rewardId } })).toMatchObject({ pointsCost: 1, value: "50.00" });
        },
      },
      {
        what: "deactivate Bravo's reward",
        kind: "action",
        intent: "setRewardActive",
        run: ({ as, b }) => post(settingsRoute, as.domain, "/app/settings", { intent: "setRewardActive", rewardId: b.rewardId, active: "false" }),
        asAlpha: notFound,
        asOwner: async (o, w) => {
          expect(o).toMatchObject({ status: 200, body: { ok: true, active: false } });
          expect((await prisma.reward.findUniqueOrThrow({ where: { id: w.bravo.rewardId } })).active).toBe(false);
        },
      },
    ],
  },

  "proxy.balance.tsx": {
    module: balanceRoute,
    attempts: [
      {
        what: "storefront balance, signed for the shop, logged in as Bravo's customer",
        kind: "loader",
        run: ({ as, b }) => proxyGet(as.domain, numericId(b.customers[0]!)),
        asAlpha: (o, w) => {
          // Alpha has no such customer: nothing of Bravo's, just Alpha's rewards at a zero balance.
          expect(o).toMatchObject({ status: 200, body: { loggedIn: true, balance: 0, pending: 0, history: [] } });
          expect(o.body.rewards.map((r: { id: string }) => r.id)).toEqual([w.alpha.rewardId]);
        },
        asOwner: (o, w) => expect(o).toMatchObject({ status: 200, body: { balance: w.bravo.customers[0]!.balance } }),
      },
      {
        what: "storefront balance of a Shopify customer id both shops know",
        kind: "loader",
        run: ({ as }) => proxyGet(as.domain, String(SHARED_CUSTOMER)),
        asAlpha: (o) => {
          expect(o).toMatchObject({ status: 200, body: { balance: 10 } });
          expect(o.body.history.map((h: { points: number }) => h.points)).toEqual([10]);
        },
        asOwner: (o) => expect(o).toMatchObject({ status: 200, body: { balance: 900 } }),
      },
      {
        what: "storefront balance with Bravo's internal customer id as logged_in_customer_id",
        kind: "loader",
        run: ({ as, b }) => proxyGet(as.domain, b.customers[0]!.id),
        asAlpha: (o) => expect(o).toMatchObject({ status: 401, body: { loggedIn: false } }),
        // Not a Shopify id: nobody is logged in, for the owner too (this guards the parsing).
        asOwner: (o) => expect(o.status).toBe(401),
      },
    ],
  },

  "proxy.redeem.tsx": {
    module: redeemRoute,
    attempts: [
      {
        what: "storefront redeem of Bravo's reward, logged in as Bravo's customer",
        kind: "action",
        run: ({ as, b }) => proxyRedeem(as.domain, numericId(b.customers[0]!), b.rewardId),
        asAlpha: (o) => expect(o).toMatchObject({ status: 409, body: { ok: false, reason: "insufficient_points" } }),
        asOwner: (o, w) => expect(o).toMatchObject({ status: 200, body: { ok: true, status: "issued", balance: w.bravo.customers[0]!.balance - 50 } }),
      },
      {
        what: "storefront redeem of Bravo's reward by the shop's own customer",
        kind: "action",
        run: ({ as, b }) => proxyRedeem(as.domain, numericId(as.customers[0]!), b.rewardId),
        asAlpha: (o) => expect(o).toMatchObject({ status: 404, body: { ok: false, reason: "unknown_reward" } }),
        asOwner: (o) => expect(o).toMatchObject({ status: 200, body: { ok: true } }),
      },
      {
        what: "storefront redeem by a Shopify customer id both shops know (10 points here, 900 at Bravo)",
        kind: "action",
        run: ({ as }) => proxyRedeem(as.domain, String(SHARED_CUSTOMER), as.rewardId),
        asAlpha: (o) => expect(o).toMatchObject({ status: 409, body: { ok: false, reason: "insufficient_points" } }),
        asOwner: (o) => expect(o).toMatchObject({ status: 200, body: { ok: true, balance: 850 } }),
      },
    ],
  },

  "app.privacy.tsx": {
    module: privacyRoute,
    attempts: [
      {
        what: "data requests page lists the signing shop's exports only",
        kind: "loader",
        run: async ({ as, b }) => {
          await sharedCustomerExport(b);
          await sharedCustomerExport(as);
          return load(privacyRoute, as.domain, "/app/privacy");
        },
        asAlpha: async (o, w) => {
          ok(o);
          const own = await prisma.dataRequestExport.findMany({ where: { shopId: w.alpha.shopId } });
          expect(o.body.rows.map((r: { id: string }) => r.id)).toEqual(own.map((e) => e.id));
        },
        asOwner: async (o, w) => {
          ok(o);
          const own = await prisma.dataRequestExport.findMany({ where: { shopId: w.bravo.shopId } });
          expect(o.body.rows.map((r: { id: string }) => r.id)).toEqual(own.map((e) => e.id));
        },
      },
    ],
  },

  "app.privacy.exports.$id.tsx": {
    module: exportRoute,
    attempts: [
      {
        what: "download Bravo's data-request export (the shared customer's personal data) by id",
        kind: "loader",
        run: async ({ as, b }) => {
          const target = await sharedCustomerExport(b);
          return load(exportRoute, as.domain, `/app/privacy/exports/${target.id}`, { id: target.id });
        },
        asAlpha: notFound,
        asOwner: (o) => expect(o).toMatchObject({ status: 200, body: { customer: { email: "bravo-shared@example.com" } } }),
      },
    ],
  },
};

// ---------------------------------------------------------------------------------------------

const cases = Object.entries(ROUTES).flatMap(([file, route]) => route.attempts.map((attempt) => ({ file, attempt, label: `${file} ${attempt.kind}${attempt.intent ? ` ${attempt.intent}` : ""}: ${attempt.what}` })));

describe("shop A's session cannot read or change shop B's data", () => {
  let w: World;
  beforeEach(async () => {
    w = await seedWorld();
  });

  it.each(cases)("$label", async ({ attempt }) => {
    const bravoBefore = await snapshot(w.bravo.shopId);
    const alphaBefore = await snapshot(w.alpha.shopId, true);
    const discountsBefore = { alpha: adminFake.discounts(ALPHA).length, bravo: adminFake.discounts(BRAVO).length };
    const o = await attempt.run({ as: w.alpha, b: w.bravo, w });
    expect(o.status, o.text).toBeLessThan(500);
    await attempt.asAlpha(o, w);
    // Nothing of Bravo's in the answer: not its ids, not its names, emails or codes.
    const text = o.text.toLowerCase();
    for (const marker of bravoMarkers(w.bravo)) expect(text, `answer contains Bravo's "${marker}"`).not.toContain(marker);
    // Nothing of Bravo's written.
    expect(await snapshot(w.bravo.shopId)).toEqual(bravoBefore);
    if (!attempt.writesOwnShop) expect(await snapshot(w.alpha.shopId, true)).toEqual(alphaBefore);
    // No discount created in either shop's Shopify store.
    expect({ alpha: adminFake.discounts(ALPHA).length, bravo: adminFake.discounts(BRAVO).length }).toEqual(discountsBefore);
    expect(await verifyBalanceCache(prisma)).toEqual([]);
  });

  it.each(cases)("control, as the owner: $label", async ({ attempt }) => {
    const o = await attempt.run({ as: w.bravo, b: w.bravo, w });
    expect(o.status, o.text).toBeLessThan(500);
    await attempt.asOwner(o, w);
    expect(await verifyBalanceCache(prisma)).toEqual([]);
  });
});

describe("every admin and app-proxy route has cross-shop attempts", () => {
  const routesDir = path.resolve(import.meta.dirname, "../../app/routes");
  // Remix flat routes: a route is a file (app.codes.tsx) or a folder with a route file (app.codes/route.tsx).
  const routeFiles = readdirSync(routesDir)
    .filter((name) => /^(app|proxy)(\.|$)/.test(name.replace(/\.(tsx|ts|jsx|js)$/, "")))
    .map((name) => {
      const full = path.join(routesDir, name);
      if (!statSync(full).isDirectory()) return { name, source: readFileSync(full, "utf8") };
      const inner = readdirSync(full).find((f) => /^route\.(tsx|ts|jsx|js)$/.test(f));
      return { name, source: inner ? readFileSync(path.join(full, inner), "utf8") : "" };
    });

  it("the table names every app.* and proxy.* route file, and only those", () => {
    expect(routeFiles.length).toBeGreaterThanOrEqual(10);
    expect(Object.keys(ROUTES).sort()).toEqual(routeFiles.map((f) => f.name).sort());
  });

  it("every exported loader and action has an attempt, and every form intent an action handles is tried", () => {
    for (const { name, source } of routeFiles) {
      const route = ROUTES[name];
      expect(route, `${name} has no cross-shop attempts`).toBeDefined();
      const kinds = new Set(route!.attempts.map((a) => a.kind));
      if (route!.module.loader) expect(kinds.has("loader"), `${name}: loader untested`).toBe(true);
      if (route!.module.action) expect(kinds.has("action"), `${name}: action untested`).toBe(true);
      const handled = new Set([...source.matchAll(/intent\s*[!=]==\s*"([^"]+)"/g)].map((m) => m[1]!));
      const tried = new Set(route!.attempts.map((a) => a.intent).filter(Boolean));
      expect(
        [...handled].filter((intent) => !tried.has(intent)),
        `${name}: intents without a cross-shop attempt`,
      ).toEqual([]);
    }
  });
});
