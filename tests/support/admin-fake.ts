// The stateful Admin API fake, installed where every Shopify Admin client fetches.
import { createShopifyAdminFake, type ShopifyAdminFake } from "../../dev/shopify-admin-fake";
import { offlineSession } from "../../dev/shopify-requests";
import { TEST_SHOP } from "../../dev/harness/test-env";

export function installAdminFake(shop = TEST_SHOP): { fake: ShopifyAdminFake; uninstall: () => void } {
  const fake = createShopifyAdminFake();
  const session = offlineSession(shop);
  fake.addShop(shop, {
    accessToken: session.accessToken!,
    refreshToken: session.refreshToken!,
    accessTokenExpiresAt: session.expires!.getTime(),
    scopes: ["read_orders", "read_customers", "write_customers", "write_discounts"],
  });
  const uninstall = fake.install();
  return { fake, uninstall };
}
