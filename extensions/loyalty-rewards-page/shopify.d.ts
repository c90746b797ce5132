// The `shopify` global this module runs with: the API of its target (Shopify's CLI writes this file in
// its templates; kept here so the root tsconfig type-checks the extension).
import "@shopify/ui-extensions";

declare module "./src/RewardsPage.tsx" {
  const shopify: import("@shopify/ui-extensions/customer-account.page.render").Api;
  const globalThis: { shopify: typeof shopify };
}
