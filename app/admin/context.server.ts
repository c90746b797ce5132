// Every admin loader and action starts here: Shopify authenticates the request (session token or
// the embedded document's id_token), and the shop's row is looked up by the session's shop domain.
// All queries below are scoped to that row's id, so another shop's ids are simply not found.
// Data access: Prisma models.
import type { Session } from "@shopify/shopify-api";
import type { Shop } from "@prisma/client";
import { authenticate } from "../shopify.server";
import prisma from "../db.server";
import { ensureShop } from "../features/shops/shops.server";
import { isValidTimeZone } from "../domain/time";

export interface AdminContext {
  session: Session;
  shop: Shop;
  /** The shop's IANA zone, or UTC when the stored one is unknown to this runtime. */
  timeZone: string;
  /** Who did it, for ledger entries and settings versions. */
  actor: string;
}

/** "staff:<user id>" for online sessions; the offline session's id otherwise. */
export function staffActor(session: Session): string {
  return `staff:${session.onlineAccessInfo?.associated_user.id ?? session.id}`;
}

export async function adminContext(request: Request): Promise<AdminContext> {
  const { session } = await authenticate.admin(request);
  // Read first: the row exists for every installed shop, so page loads never write.
  let shop = await prisma.shop.findUnique({ where: { domain: session.shop } });
  if (!shop) shop = await prisma.shop.findUniqueOrThrow({ where: { id: (await ensureShop(prisma, session.shop)).id } });
  return { session, shop, timeZone: isValidTimeZone(shop.ianaTimezone) ? shop.ianaTimezone : "UTC", actor: staffActor(session) };
}

/** Thrown from loaders and actions; the route's ErrorBoundary shows a "not found" page. */
export function notFound(what: string): Response {
  return new Response(`${what} not found`, { status: 404, statusText: "Not Found" });
}

/** Form fields as trimmed strings ("" when absent). */
export function formText(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value.trim() : "";
}
