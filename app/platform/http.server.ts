// JSON responses. server.mjs (like remix-serve) installs @remix-run/node's fetch globals, whose
// Response has no static Response.json, so the app builds JSON responses here (one way, everywhere).
export function jsonResponse(body: unknown, init: number | ResponseInit = 200): Response {
  const options: ResponseInit = typeof init === "number" ? { status: init } : init;
  const headers = new Headers(options.headers);
  headers.set("Content-Type", "application/json; charset=utf-8");
  return new Response(JSON.stringify(body), { ...options, headers });
}
