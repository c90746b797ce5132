// Shopify's CLI replaces process.env.APP_URL with the app's URL when it bundles (the dev tunnel under
// `shopify app dev`, APP_URL from the environment or .env at deploy); left alone, it is read at run time
// (the UI-extension host of dev/ sets it). shopify.d.ts beside src/ is written by the CLI on every build.
declare const process: { env: { APP_URL?: string } };
