// Serves the reference line "template style" (bench/reference/template-webhook.ts): the app's own
// build with one change, its orders/paid route's module replaced by the template-style action, and
// server.mjs's webhook shortcut told that no path is a webhook endpoint, so the delivery takes the
// production server's express + Remix request handler, as a template app's would. Everything else
// (root route, entry, assets, the server itself) is the app's.
//
// Started only by the bench, as `node --import tsx server.mjs bench/reference/template-build.mjs`
// (tsx: the action is TypeScript). Nothing in app/ or the app's build changes.
export * from "../../build/server/index.js";
import { entry as appEntry, routes as appRoutes } from "../../build/server/index.js";
import { action } from "./template-webhook.ts";

const ROUTE_ID = "routes/webhooks.orders.paid";
if (!appRoutes[ROUTE_ID]) throw new Error(`the app's build has no route ${ROUTE_ID}`);

export const routes = { ...appRoutes, [ROUTE_ID]: { ...appRoutes[ROUTE_ID], module: { action } } };

export const entry = { module: { ...appEntry.module, webhookHandlerForPath: () => null } };
