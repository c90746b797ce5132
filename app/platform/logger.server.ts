// One line of JSON per event: easy to grep locally, easy to ship to a log store in production. The
// app, server.mjs (access lines, start-up) and Shopify's libraries (app/shopify/logger.server.ts)
// all write through here, so a log store sees one format.
type Level = "error" | "warn" | "info" | "debug";
const order: Record<Level, number> = { error: 0, warn: 1, info: 2, debug: 3 };

/** LOG_LEVEL, else warn under tests and info otherwise. */
export function configuredLevel(): Level {
  const configured = process.env.LOG_LEVEL as Level | undefined;
  if (configured && configured in order) return configured;
  return process.env.NODE_ENV === "test" ? "warn" : "info";
}

function enabled(level: Level): boolean {
  return order[level] <= order[configuredLevel()];
}

function lineOf(level: Level, message: string, fields: Record<string, unknown> = {}): string {
  return JSON.stringify({ level, time: new Date().toISOString(), message, ...fields });
}

function write(level: Level, message: string, fields?: Record<string, unknown>): void {
  if (!enabled(level)) return;
  const line = lineOf(level, message, fields);
  if (level === "error" || level === "warn") console.error(line);
  else console.log(line);
}

// Access lines come at the webhook rate, one per delivery: those answered in one turn of the event loop
// go to stdout in one write instead of one each (docs/decisions/012-production-start.md). A crash
// loses at most that turn's lines; a normal exit writes them.
let pendingAccessLines: string[] = [];
function flushAccessLines(): void {
  if (pendingAccessLines.length === 0) return;
  const text = pendingAccessLines.join("\n") + "\n";
  pendingAccessLines = [];
  process.stdout.write(text);
}
let flushesOnExit = false;
function queueAccessLine(line: string): void {
  if (!flushesOnExit) {
    flushesOnExit = true;
    process.once("exit", flushAccessLines);
  }
  if (pendingAccessLines.push(line) === 1) setImmediate(flushAccessLines);
  else if (pendingAccessLines.length >= 256) flushAccessLines();
}

export const log = {
  error: (message: string, fields?: Record<string, unknown>) => write("error", message, fields),
  warn: (message: string, fields?: Record<string, unknown>) => write("warn", message, fields),
  info: (message: string, fields?: Record<string, unknown>) => write("info", message, fields),
  debug: (message: string, fields?: Record<string, unknown>) => write("debug", message, fields),
  /**
   * The access line server.mjs writes once per HTTP request. `path` carries no query string: the
   * admin's and the app proxy's query strings hold the shop, its HMAC signature and session tokens.
   */
  request: (method: string, path: string, status: number, ms: number, fields?: Record<string, unknown>) => {
    if (enabled("info")) queueAccessLine(lineOf("info", "request", { method, path, status, ms, ...fields }));
  },
};
