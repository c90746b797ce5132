// `npm start`: the production server for the built app. What remix-serve does (NODE_ENV=production
// unless set, express, compression, the client build as immutable static files, the Remix request
// handler, PORT/HOST, closing on SIGTERM), plus:
// - .env read as `npm run setup` reads it (scripts/lib/production.mjs);
// - one access line per request in the app's JSON log format (app/platform/logger.server.ts, exported by the
//   build's entry), as are this file's own messages;
// - a shortcut: a POST to a webhook endpoint goes straight to the app's answerWebhook, without
//   express, Remix's router and Fetch API objects, which cost more than the delivery's own work
//   (docs/decisions/009-hot-path-sql.md). The route files stay the endpoints' declaration and serve
//   `shopify app dev`; both paths run the same code.
// docs/decisions/012-production-start.md.
import http from "node:http";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { importBuild, prepareEnvironment } from "./scripts/lib/production.mjs";

/** The request's path without its query string (which carries the shop, its HMAC and session tokens). */
function pathOf(req) {
  const url = req.url ?? "";
  const query = url.indexOf("?");
  return query === -1 ? url : url.slice(0, query);
}

const elapsedMs = (started) => Math.round((performance.now() - started) * 10) / 10;

/**
 * Node middleware `(req, res, next)`: answers the app's webhook deliveries through the build's
 * answerWebhookDelivery (app/webhooks/shortcut.server.ts) and passes everything else on. Writes the
 * access line itself once the answer is handed over: no listener per delivery on this hot path.
 */
export function webhookShortcut(build) {
  const { answerWebhookDelivery, webhookHandlerForPath, log } = build.entry.module;
  return (req, res, next) => {
    const pathname = pathOf(req);
    if (req.method !== "POST" || !webhookHandlerForPath(pathname)) return next();
    const started = performance.now();
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("error", () => res.destroy());
    req.on("end", async () => {
      let status = 500;
      let body = '{"error":"internal error"}'; // Shopify retries a 5xx
      try {
        const delivery = { method: req.method, url: `http://${req.headers.host ?? "localhost"}${req.url}`, headers: Object.entries(req.headers), rawBody: Buffer.concat(chunks).toString("utf8") };
        const answer = await answerWebhookDelivery(pathname, delivery);
        status = answer.status;
        body = JSON.stringify(answer.body);
      } catch (error) {
        log.error("webhook request failed", { path: pathname, error: String(error?.stack ?? error) });
      }
      res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(body) });
      res.end(body);
      log.request(req.method, pathname, status, elapsedMs(started));
    });
  };
}

async function main() {
  const root = path.dirname(fileURLToPath(import.meta.url));
  prepareEnvironment(root);
  // Imported only now: NODE_ENV and .env are in place before React, Remix or the app load.
  const build = await importBuild(path.resolve(process.argv[2] ?? "build/server/index.js"));
  const [{ default: express }, { default: compression }, { createRequestHandler }, { installGlobals }] = await Promise.all([
    import("express"),
    import("compression"),
    import("@remix-run/express"),
    import("@remix-run/node"),
  ]);
  const { log } = build.entry.module;
  installGlobals({ nativeFetch: build.future.v3_singleFetch });

  const app = express();
  app.disable("x-powered-by");
  app.use(compression());
  app.use(build.publicPath, express.static(build.assetsBuildDirectory, { immutable: true, maxAge: "1y" }));
  app.all("*", createRequestHandler({ build, mode: process.env.NODE_ENV }));
  // Instead of express's default handler, which prints a raw stack trace for a client's mistake (a
  // malformed URL) and shows it to the client outside production: a plain answer, and a JSON line for
  // a 5xx (a 4xx is in the access line).
  app.use((error, req, res, next) => {
    const status = Number(error?.status ?? error?.statusCode) >= 400 ? Number(error.status ?? error.statusCode) : 500;
    if (status >= 500) log.error("request failed", { method: req.method, path: pathOf(req), error: String(error?.stack ?? error) });
    if (res.headersSent) return next(error);
    res
      .status(status)
      .type("text/plain")
      .send(http.STATUS_CODES[status] ?? "Error");
  });

  const shortcut = webhookShortcut(build);
  const server = http.createServer((req, res) =>
    shortcut(req, res, () => {
      const started = performance.now();
      const requestPath = pathOf(req); // before express's mounts rewrite req.url
      // "close" comes after the last byte or when the client went away first (then status is what was meant).
      res.once("close", () => log.request(req.method, requestPath, res.statusCode, elapsedMs(started), res.writableFinished ? undefined : { aborted: true }));
      app(req, res);
    }),
  );
  const port = Number(process.env.PORT || 3000);
  const onListen = () => log.info("server listening", { url: `http://${process.env.HOST ?? "localhost"}:${port}`, nodeEnv: process.env.NODE_ENV });
  if (process.env.HOST) server.listen(port, process.env.HOST, onListen);
  else server.listen(port, onListen);
  // The inline worker stops its own loops on these signals (app/worker/inline-worker.server.ts).
  for (const signal of ["SIGTERM", "SIGINT"]) process.once(signal, () => server.close((error) => error && log.error("server close failed", { error: String(error) })));
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) await main();
