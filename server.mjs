// `npm start`: the production server for the built app. What remix-serve does (express, compression,
// the client build as immutable static files, the Remix request handler, PORT/HOST, closing on
// SIGTERM), plus one shortcut: a POST to a webhook endpoint goes straight to the app's answerWebhook,
// without express, Remix's router and Fetch API objects, which cost more than the delivery's own work
// (docs/decisions/009-hot-path-sql.md). The route files stay the endpoints' declaration and serve
// `shopify app dev`; both paths run the same code.
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import express from "express";
import compression from "compression";
import { createRequestHandler } from "@remix-run/express";
import { installGlobals } from "@remix-run/node";

/**
 * Node middleware `(req, res, next)`: answers the app's webhook deliveries through the build's
 * answerWebhookDelivery (app/webhooks/shortcut.server.ts) and passes everything else on.
 */
export function webhookShortcut(build) {
  const { answerWebhookDelivery, webhookHandlerForPath } = build.entry.module;
  return (req, res, next) => {
    const pathname = (req.url ?? "").split("?")[0];
    if (req.method !== "POST" || !webhookHandlerForPath(pathname)) return next();
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
        console.error(JSON.stringify({ level: "error", time: new Date().toISOString(), message: "webhook request failed", error: String(error?.stack ?? error) }));
      }
      res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(body) });
      res.end(body);
    });
  };
}

async function main() {
  const buildPath = path.resolve(process.argv[2] ?? "build/server/index.js");
  const build = await import(pathToFileURL(buildPath).href);
  installGlobals({ nativeFetch: build.future.v3_singleFetch });

  const app = express();
  app.disable("x-powered-by");
  app.use(compression());
  app.use(build.publicPath, express.static(build.assetsBuildDirectory, { immutable: true, maxAge: "1y" }));
  app.all("*", createRequestHandler({ build, mode: process.env.NODE_ENV }));

  const shortcut = webhookShortcut(build);
  const server = http.createServer((req, res) => shortcut(req, res, () => app(req, res)));
  const port = Number(process.env.PORT || 3000);
  const onListen = () => console.log(`[server] http://localhost:${port}`);
  if (process.env.HOST) server.listen(port, process.env.HOST, onListen);
  else server.listen(port, onListen);
  // The inline worker stops its own loops on these signals (app/jobs/inline-worker.server.ts).
  for (const signal of ["SIGTERM", "SIGINT"]) process.once(signal, () => server.close((error) => error && console.error(error)));
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) await main();
