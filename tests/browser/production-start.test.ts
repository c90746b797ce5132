// `npm start` and `npm run worker` as an operator runs them (docs/decisions/012-production-start.md):
// no NODE_ENV in the environment, the build from `npm run build`, a log store reading stdout/stderr.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, dropTestDatabase } from "../../dev/harness/database";
import { testDatabaseUrl, testEnv } from "../../dev/harness/test-env";
import { freePort } from "../../dev/harness/ports";

const root = path.resolve(import.meta.dirname, "../..");

// Test-only, through Node's flags: on SIGUSR2 the server prints which of React's CommonJS files it
// loaded (react and react-dom pick ".production.min" or ".development" from NODE_ENV when imported).
// Only `loaded` ones: Node's ESM loader also caches, unloaded, both branches of a re-exporting index.js.
const REPORT_REACT_FILES = `data:text/javascript,${encodeURIComponent(`
import { createRequire } from "node:module";
const require = createRequire(process.cwd() + "/");
process.on("SIGUSR2", () => console.log(JSON.stringify({ reactFiles: Object.entries(require.cache).filter(([f, m]) => m.loaded && /[\\\\/]react(-dom)?[\\\\/]cjs[\\\\/]/.test(f)).map(([f]) => f).map((f) => f.split(/[\\\\/]/).pop()) })));
`)}`;

/** The process's environment as a shell without NODE_ENV would hand it over. */
function withoutNodeEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const copy = { ...env };
  delete copy.NODE_ENV;
  return copy as NodeJS.ProcessEnv;
}

function jsonLines(output: string): Record<string, unknown>[] {
  return output
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`not a JSON log line: ${line}\n--- all output ---\n${output}`);
      }
    });
}

async function waitFor<T>(find: () => T | undefined, what: string, output: () => string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`${what} did not appear:\n${output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Runs a command to its end; its output and exit code. */
function runToEnd(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, env: withoutNodeEnv(process.env), stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

describe("npm start (server.mjs) without NODE_ENV", () => {
  let child: ChildProcess;
  let url = "";
  let output = "";
  const databaseUrl = testDatabaseUrl(`prodstart_${Date.now()}_${process.pid}`);

  beforeAll(async () => {
    await createTestDatabase(databaseUrl);
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, ["--import", REPORT_REACT_FILES, "server.mjs", "build/server/index.js"], {
      cwd: root,
      env: withoutNodeEnv({ ...process.env, ...testEnv(databaseUrl), LOG_LEVEL: "info", PORT: String(port), HOST: "127.0.0.1" }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (d) => (output += d));
    child.stderr?.on("data", (d) => (output += d));
    await waitFor(
      () => (output.includes('"server listening"') ? true : undefined),
      "the start line",
      () => output,
    );
  });

  afterAll(async () => {
    if (child.exitCode === null) {
      child.kill("SIGKILL");
      await new Promise((r) => child.once("exit", r));
    }
    await dropTestDatabase(databaseUrl);
  });

  it("runs React's production build and says so when it starts listening", async () => {
    const start = jsonLines(output).find((l) => l.message === "server listening");
    expect(start).toMatchObject({ level: "info", nodeEnv: "production", url });

    child.kill("SIGUSR2");
    const report = await waitFor(
      () => jsonLines(output).find((l) => "reactFiles" in l),
      "the React file report",
      () => output,
    );
    const files = report.reactFiles as string[];
    expect(files).toContain("react-dom-server.node.production.min.js");
    expect(
      files.filter((f) => f.includes("development")),
      "no React development build loaded",
    ).toEqual([]);
  });

  it("writes one JSON access line per request: method, path without its query string, status, ms", async () => {
    const signedQuery = "shop=test-shop.myshopify.com&hmac=0123456789abcdef&session=SESSION-TOKEN-VALUE";
    const login = await fetch(`${url}/auth/login?${signedQuery}`, { redirect: "manual" });
    // The webhook shortcut (docs/decisions/009) writes its own line; an unsigned delivery is refused.
    const webhook = await fetch(`${url}/webhooks/orders/paid?${signedQuery}`, { method: "POST", body: "{}", headers: { "Content-Type": "application/json" } });

    const lines = await waitFor(
      () => {
        const requests = jsonLines(output).filter((l) => l.message === "request");
        return requests.length >= 2 ? requests : undefined;
      },
      "two access lines",
      () => output,
    );
    const byPath = (p: string) => lines.filter((l) => l.path === p);
    expect(byPath("/auth/login")).toEqual([{ level: "info", time: expect.any(String), message: "request", method: "GET", path: "/auth/login", status: login.status, ms: expect.any(Number) }]);
    expect(byPath("/webhooks/orders/paid")).toEqual([{ level: "info", time: expect.any(String), message: "request", method: "POST", path: "/webhooks/orders/paid", status: webhook.status, ms: expect.any(Number) }]);
    expect(webhook.status).toBeGreaterThanOrEqual(400);
    expect(output, "the query string (shop, HMAC, session token) is in no log line").not.toContain("SESSION-TOKEN-VALUE");
    expect(output).not.toContain("0123456789abcdef");
  });

  it("answers a browser's /favicon.ico and a malformed URL quietly: access lines, no stack trace; every line is the app's JSON", async () => {
    const favicon = await fetch(`${url}/favicon.ico`);
    expect(favicon.status).toBe(404);
    const malformed = await fetch(`${url}/%E0%A4%A`);
    expect(malformed.status).toBe(400);
    expect(await malformed.text()).toBe("Bad Request");

    await waitFor(
      () => (jsonLines(output).some((l) => l.path === "/%E0%A4%A") ? true : undefined),
      "the malformed URL's access line",
      () => output,
    );
    const lines = jsonLines(output); // throws on any line that is not JSON (a raw stack trace, a library's own format)
    expect(lines.find((l) => l.path === "/favicon.ico")).toMatchObject({ method: "GET", status: 404 });
    expect(lines.filter((l) => l.level === "error")).toEqual([]);
    // Shopify's library speaks through the app's logger too.
    expect(lines.find((l) => l.library === "shopify-api")).toMatchObject({ level: "info", message: expect.stringContaining("version") });
  });
});

describe("before a build", () => {
  it.each([
    ["npm start", ["server.mjs", "build-that-does-not-exist/server/index.js"]],
    ["npm run worker", ["scripts/worker.mjs", "build-that-does-not-exist/worker/worker-cli.js"]],
  ])("%s says in one line to run `npm run build` and exits 1, without a stack trace", async (_command, args) => {
    const { code, output } = await runToEnd(args);
    expect(code).toBe(1);
    const lines = jsonLines(output);
    expect(lines).toEqual([{ level: "error", time: expect.any(String), message: expect.stringContaining("run `npm run build` first") }]);
    expect(lines[0]!.message).toContain("build-that-does-not-exist");
  });
});
