// Loading the app's modules inside a test, and resetting the database between tests.
import prisma from "../../app/db.server";
import { sessionStorage } from "../../app/shopify.server";
import { offlineSession } from "../../dev/shopify-requests";
import { TEST_SHOP } from "../../dev/harness/test-env";

export { prisma };

/** Deletes every row: deleting the Shop rows deletes every table that hangs off them (foreign keys). */
export async function resetDatabase(): Promise<void> {
  await prisma.$transaction([prisma.shop.deleteMany(), prisma.webhookDelivery.deleteMany(), prisma.session.deleteMany()]);
}

/** An installed shop: the offline session token exchange stores, and its Shop row. */
export async function installShop(shop = TEST_SHOP) {
  await sessionStorage.storeSession(offlineSession(shop));
  return prisma.shop.upsert({ where: { domain: shop }, create: { domain: shop }, update: {} });
}

/** Counts of every table, for "nothing was written" assertions. */
export async function rowCounts(): Promise<Record<string, number>> {
  const [sessions, shops, customers, entries, deliveries, jobs, codes, orders] = await Promise.all([
    prisma.session.count(),
    prisma.shop.count(),
    prisma.customer.count(),
    prisma.ledgerEntry.count(),
    prisma.webhookDelivery.count(),
    prisma.outboxJob.count(),
    prisma.issuedCode.count(),
    prisma.orderRecord.count(),
  ]);
  return { sessions, shops, customers, entries, deliveries, jobs, codes, orders };
}

/** Calls a route module's action the way Remix does. */
export async function callAction(mod: { action: (args: any) => Promise<Response> | Response }, request: Request): Promise<Response> {
  try {
    return await mod.action({ request, params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

export async function callLoader<T>(mod: { loader: (args: any) => Promise<T> | T }, request: Request, params: Record<string, string> = {}): Promise<T | Response> {
  try {
    return await mod.loader({ request, params, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}
