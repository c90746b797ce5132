// The layers of app/ (docs/architecture.md, docs/decisions/018-layers.md) and the direction of their
// imports, checked in CI by `npm run lint:deps`. Type-only imports count: a type is a dependency too.
//
//   routes, entry.server, root
//   admin/, storefront/, extension-api/, worker/        adapters: page services, app proxy, UI-extension API, processes
//   shopify.server                                      shopifyApp, configured once (auth, webhook HMAC)
//   webhooks/, jobs/                                    topic → feature, job kind → handler
//   features/<name>/                                    one folder per program or capability
//   ledger/, outbox/, shopify/                          the only writer of balances; the job queue; Admin API
//   platform/, db.server                                db client, SQL engine, env, logger, http, retry
//   domain/                                             pure rules: imports nothing of the app
const layer = (name, path, mayNotImport, comment) => ({ name, severity: "error", comment, from: { path }, to: { path: mayNotImport } });

const ADAPTERS = "^app/(routes/|admin/|storefront/|extension-api/|worker/|entry\\.server\\.tsx|root\\.tsx)";
const SHOPIFY_APP = "^app/shopify\\.server\\.ts$";

module.exports = {
  forbidden: [
    { name: "no-circular", severity: "error", comment: "An import cycle hides which module owns what.", from: { path: "^app/" }, to: { circular: true } },
    layer("domain-is-pure", "^app/domain/", "^app/(?!domain/)", "Rules are plain functions over plain data: the domain imports nothing of the app."),
    layer("platform-is-the-bottom", "^app/(platform/|db\\.server\\.ts$)", "^app/(?!platform/)", "The platform (db client, SQL, env, logger, http) knows nothing of the app above it."),
    layer(
      "ledger-outbox-shopify-below-features",
      "^app/(ledger|outbox|shopify)/",
      `^app/(features|webhooks|jobs)/|${ADAPTERS}|${SHOPIFY_APP}`,
      "The ledger, the outbox and the Admin client serve features; they never call up.",
    ),
    layer("outbox-knows-no-ledger", "^app/outbox/", "^app/ledger/", "The ledger enqueues jobs; the queue knows nothing of points."),
    layer("features-below-webhooks-and-jobs", "^app/features/", `^app/(webhooks|jobs)/|${ADAPTERS}|${SHOPIFY_APP}`, "A feature is called by webhooks, jobs and adapters; it calls none of them."),
    layer("webhooks-not-jobs", "^app/webhooks/", `^app/jobs/|${ADAPTERS}`, "Webhook deliveries become ledger effects through features, never through Admin API jobs."),
    layer("jobs-not-webhooks", "^app/jobs/", `^app/webhooks/|${ADAPTERS}|${SHOPIFY_APP}`, "Job handlers run Admin API calls for features; the worker (an adapter) gives them their Admin client."),
    layer("worker-not-pages", "^app/worker/", "^app/(routes|admin|storefront|extension-api)/", "The worker runs without HTTP: no page or proxy code."),
    layer(
      "shopify-app-below-adapters",
      SHOPIFY_APP,
      "^app/(routes|admin|storefront|extension-api|worker|webhooks|jobs)/",
      "The shopifyApp configuration is imported by adapters and the webhook receiver; it reaches only features, outbox, shopify/ and platform.",
    ),
    layer("admin-apart", "^app/admin/", "^app/(storefront|extension-api)/", "Admin page services, the storefront proxy and the UI-extension API share features, not each other."),
    layer("storefront-apart", "^app/storefront/", "^app/(admin|extension-api)/", "Admin page services, the storefront proxy and the UI-extension API share features, not each other."),
    layer("extension-api-apart", "^app/extension-api/", "^app/(admin|storefront)/", "Admin page services, the storefront proxy and the UI-extension API share features, not each other."),
    layer("nothing-imports-routes", "^app/(?!routes/)", "^app/routes/", "Routes are the top: thin files Remix finds by name."),
    layer("app-not-tools", "^app/", "^(tests|demo|bench|dev|scripts)/", "The app ships alone: no test, demo, bench or dev code in it."),
    layer("tools-not-tests", "^(demo|bench|dev|scripts)/", "^tests/", "Tools share dev/ with the tests; test code is not a dependency of tools."),
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"], extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".json"] },
  },
};
