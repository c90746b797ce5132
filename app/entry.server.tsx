import { PassThrough } from "stream";
import { renderToPipeableStream } from "react-dom/server";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { createReadableStreamFromReadable, type EntryContext, type HandleErrorFunction } from "@remix-run/node";
import { isbot } from "isbot";
import { addDocumentResponseHeaders } from "./shopify.server";
import { startInlineWorker } from "./worker/inline-worker.server";
import { log } from "./platform/logger.server";

export const streamTimeout = 5000;

// For server.mjs: webhook deliveries skip express and the router (app/webhooks/shortcut.server.ts).
export { answerWebhookDelivery, webhookHandlerForPath } from "./webhooks/shortcut.server";
// For server.mjs: its access and start-up lines in the app's format.
export { log };

// The embedded default runs the outbox worker inside the web process (WORKER_MODE=inline).
startInlineWorker();

export default async function handleRequest(request: Request, responseStatusCode: number, responseHeaders: Headers, remixContext: EntryContext) {
  addDocumentResponseHeaders(request, responseHeaders);
  const userAgent = request.headers.get("user-agent");
  const callbackName = isbot(userAgent ?? "") ? "onAllReady" : "onShellReady";

  return new Promise((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(<RemixServer context={remixContext} url={request.url} />, {
      [callbackName]: () => {
        const body = new PassThrough();
        const stream = createReadableStreamFromReadable(body);
        responseHeaders.set("Content-Type", "text/html");
        resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
        pipe(body);
      },
      onShellError(error) {
        reject(error);
      },
      onError(error) {
        responseStatusCode = 500;
        log.error("render failed", { path: new URL(request.url).pathname, error: errorText(error) });
      },
    });
    setTimeout(abort, streamTimeout + 1000);
  });
}

// Remix calls this with a loader's, an action's or its own error. Its default prints the raw error:
// a stack trace for every unknown URL (a browser's /favicon.ico). A client's mistake (a 4xx, e.g. no
// route) is already in the access line; anything else becomes one line in the app's format.
export const handleError: HandleErrorFunction = (error, { request }) => {
  if (request.signal.aborted || (isRouteErrorResponse(error) && error.status < 500)) return;
  log.error("request failed", { method: request.method, path: new URL(request.url).pathname, error: errorText(error) });
};

function errorText(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
