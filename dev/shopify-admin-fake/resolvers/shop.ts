// The shop and the app's installation: `shop` and `currentAppInstallation` (no access scope needed).
import type { Nodes } from "../nodes";
import type { ShopState } from "../store";
import type { Node, ResolverGroup } from "./support";

function shopNode(shop: ShopState): Node {
  return {
    __typename: "Shop",
    id: shop.shopId,
    name: shop.name,
    ianaTimezone: shop.ianaTimezone,
    currencyCode: shop.currencyCode,
    myshopifyDomain: shop.domain,
  };
}

export function shopResolvers(nodes: Nodes): ResolverGroup {
  return {
    query: {
      // No access scope for these Shop fields. https://shopify.dev/docs/api/admin-graphql/2026-07/queries/shop
      shop: (_args, ctx) => shopNode(ctx.shop),
      // https://shopify.dev/docs/api/admin-graphql/2026-07/queries/currentAppInstallation
      currentAppInstallation: (_args, ctx) => nodes.appInstallationNode(ctx.shop),
    },
  };
}
