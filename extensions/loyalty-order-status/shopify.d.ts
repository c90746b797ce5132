import "@shopify/ui-extensions";

declare module "./src/OrderStatusBlock.tsx" {
  const shopify: import("@shopify/ui-extensions/customer-account.order-status.block.render").Api;
  const globalThis: { shopify: typeof shopify };
}

// Shopify's CLI replaces process.env.APP_URL with the app's URL when it bundles (the dev tunnel under
// `shopify app dev`, APP_URL from the environment or .env otherwise); left alone, it is read at run time.
declare global {
  const process: { env: { APP_URL?: string } };
}
