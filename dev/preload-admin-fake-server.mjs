// `node --import tsx --import ./dev/preload-admin-fake-server.mjs scripts/worker.mjs` (dev/harness/worker-process.ts):
// runs a real worker process whose Admin API calls go to a fake served over HTTP at FAKE_ADMIN_URL
// (tests and the demo only; nothing in app/ knows about it). shopify-app-remix's server imports
// shopify-api's web-api adapter, which sets the fetch seam when it is evaluated: it is evaluated here
// first, then overridden. Plain ESM on purpose, so the libraries' ESM builds (the app's) are used.
import "@shopify/shopify-api/adapters/web-api";
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { createFakeServerFetch } from "./shopify-admin-fake/index.ts";

const url = process.env.FAKE_ADMIN_URL;
if (!url) throw new Error("FAKE_ADMIN_URL is not set");
setAbstractFetchFunc(createFakeServerFetch(url));
