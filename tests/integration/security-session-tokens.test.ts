// Admin routes accept only session tokens Shopify would issue for this app: signed with its secret,
// for its API key (audience), not expired, for the shop named in dest. Anything else is refused and
// writes nothing. Tokens are made with Shopify's own test helper (getJwt) and its overrides.
import { beforeEach, describe, expect, it } from "vitest";
import { getJwt } from "@shopify/shopify-api/test-helpers";
import * as customerRoute from "../../app/routes/app.customers.$id";
import * as customersRoute from "../../app/routes/app.customers._index";
import { installShop, prisma, resetDatabase } from "../support/app";
import { TEST_API_KEY, TEST_API_SECRET, TEST_APP_URL } from "../../dev/harness/test-env";

let customerId: string;

beforeEach(async () => {
  await resetDatabase();
  const shop = await installShop();
  customerId = (await prisma.customer.create({ data: { shopId: shop.id, shopifyCustomerId: "gid://shopify/Customer/1", email: "a@example.com" } })).id;
});

async function withToken(token: string, init: RequestInit = {}, path = `/app/customers/${customerId}`): Promise<Response> {
  const request = new Request(`${TEST_APP_URL}${path}`, { ...init, headers: { Authorization: `Bearer ${token}` } });
  const route = path === "/app/customers" ? customersRoute : customerRoute;
  try {
    const result = init.method === "POST" ? await customerRoute.action({ request, params: { id: customerId }, context: {} }) : await route.loader({ request, params: { id: customerId }, context: {} });
    return result instanceof Response ? result : new Response(JSON.stringify(result), { status: 200 });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

const now = () => Date.now() / 1000;
const adjust = () => ({ method: "POST", body: new URLSearchParams({ intent: "adjust", points: "1000", reason: "gift", nonce: crypto.randomUUID() }) });

describe("session tokens on admin routes", () => {
  it("a valid token reads the page and can adjust points", async () => {
    const { token } = await getJwt("test-shop", TEST_API_KEY, TEST_API_SECRET);
    expect((await withToken(token)).status).toBe(200);
    expect((await withToken(token, adjust())).status).toBe(200);
    expect(await prisma.ledgerEntry.count()).toBe(1);
  });

  it.each([
    ["forged (signed with another secret)", () => getJwt("test-shop", TEST_API_KEY, "not-the-secret")],
    ["expired", () => getJwt("test-shop", TEST_API_KEY, TEST_API_SECRET, { exp: now() - 60, iat: now() - 7200, nbf: now() - 7200 })],
    ["for another app (wrong audience)", () => getJwt("test-shop", "another-app-key", TEST_API_SECRET)],
    ["not yet valid", () => getJwt("test-shop", TEST_API_KEY, TEST_API_SECRET, { nbf: now() + 3600, iat: now() })],
  ])("a %s token is refused with 401 and writes nothing", async (_label, make) => {
    const { token } = await make();
    const read = await withToken(token);
    expect(read.status).toBe(401);
    const write = await withToken(token, adjust());
    expect(write.status).toBe(401);
    expect(await prisma.ledgerEntry.count()).toBe(0);
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: customerId } })).balance).toBe(0);
  });

  it("a garbage bearer token is refused", async () => {
    expect((await withToken("not.a.jwt")).status).toBe(401);
  });
});
