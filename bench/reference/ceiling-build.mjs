// Reference line "stack ceiling" of the webhook benchmark (bench/webhooks.ts): the production server
// (`server.mjs`, unchanged) serving the app's own build, except that a webhook delivery's work is
// gone. server.mjs's shortcut still reads the request, finds the endpoint, writes the answer with
// its Content-Length and the access line; only answerWebhookDelivery (Shopify's HMAC check, JSON
// parse, zod, the inbox insert) is replaced by an immediate 200 with the body the app sends for a
// stored delivery. What is left is the HTTP stack this app runs on, measured by the same load
// generator: no handler on this machine can answer faster through it.
//
// Started only by the bench, as `node server.mjs bench/reference/ceiling-build.mjs` (the build
// argument server.mjs already takes): nothing in app/ or the app's build changes, so there is no
// switch that could turn this on in production.
export * from "../../build/server/index.js";
import { entry as appEntry } from "../../build/server/index.js";

const stored = { status: 200, body: { ok: true, outcome: "received" } };

export const entry = {
  module: { ...appEntry.module, answerWebhookDelivery: async () => stored },
};
