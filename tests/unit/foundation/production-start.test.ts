// What `npm start` and `npm run worker` do to the environment before loading the build
// (scripts/lib/production.mjs), and how Shopify's libraries' messages come out (app/shopify/logger.server.ts).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { LogSeverity } from "@shopify/shopify-api";
import { afterEach, describe, expect, it, vi } from "vitest";
import { shopifyLogger } from "../../../app/shopify/logger.server";

const productionLib = pathToFileURL(path.resolve(import.meta.dirname, "../../../scripts/lib/production.mjs")).href;

/** The environment a fresh process has after prepareEnvironment(root), given the shell's and root/.env's. */
function environmentAfterPrepare(shell: Record<string, string>, dotEnv: string | null): Record<string, string | undefined> {
  const root = mkdtempSync(path.join(os.tmpdir(), "prod-env-"));
  try {
    if (dotEnv !== null) writeFileSync(path.join(root, ".env"), dotEnv);
    const script = `const { prepareEnvironment } = await import(${JSON.stringify(productionLib)}); prepareEnvironment(${JSON.stringify(root)}); console.log(JSON.stringify({ NODE_ENV: process.env.NODE_ENV, FROM_FILE: process.env.FROM_FILE, BOTH: process.env.BOTH }));`;
    const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !["NODE_ENV", "FROM_FILE", "BOTH"].includes(k)));
    return JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { env: { ...base, ...shell } as NodeJS.ProcessEnv, encoding: "utf8" })) as Record<string, string | undefined>;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

describe("npm start / npm run worker environment", () => {
  it("reads .env like npm run setup (the shell's values win) and defaults NODE_ENV to production", () => {
    expect(environmentAfterPrepare({ BOTH: "shell" }, "FROM_FILE=file\nBOTH=file\n")).toEqual({ NODE_ENV: "production", FROM_FILE: "file", BOTH: "shell" });
  });

  it("keeps a NODE_ENV the shell or .env sets", () => {
    expect(environmentAfterPrepare({ NODE_ENV: "test" }, "NODE_ENV=development\n").NODE_ENV).toBe("test");
    expect(environmentAfterPrepare({}, "NODE_ENV=development\n").NODE_ENV).toBe("development");
  });

  it("runs without a .env", () => {
    expect(environmentAfterPrepare({}, null)).toEqual({ NODE_ENV: "production" });
  });
});

describe("Shopify's library messages", () => {
  const previousLevel = process.env.LOG_LEVEL;
  afterEach(() => {
    vi.restoreAllMocks();
    if (previousLevel === undefined) delete process.env.LOG_LEVEL;
    else process.env.LOG_LEVEL = previousLevel;
  });

  it("become the app's JSON lines, naming the library, at LOG_LEVEL", () => {
    process.env.LOG_LEVEL = "info";
    const out = vi.spyOn(console, "log").mockImplementation(() => {});
    const err = vi.spyOn(console, "error").mockImplementation(() => {});
    const logger = shopifyLogger();
    expect(logger.level).toBe(LogSeverity.Info);
    logger.log(LogSeverity.Info, "[shopify-app/INFO] Authenticating admin request | {shop: a.myshopify.com}");
    logger.log(LogSeverity.Error, "[shopify-api/ERROR] Request failed");
    logger.log(LogSeverity.Debug, "[shopify-api/DEBUG] not at info");
    expect(out.mock.calls.map(([line]) => JSON.parse(line as string))).toEqual([{ level: "info", time: expect.any(String), message: "Authenticating admin request | {shop: a.myshopify.com}", library: "shopify-app" }]);
    expect(err.mock.calls.map(([line]) => JSON.parse(line as string))).toEqual([{ level: "error", time: expect.any(String), message: "Request failed", library: "shopify-api" }]);
  });

  it("an instance capped at errors stays there whatever LOG_LEVEL says", () => {
    process.env.LOG_LEVEL = "debug";
    expect(shopifyLogger(LogSeverity.Error).level).toBe(LogSeverity.Error);
    expect(shopifyLogger().level).toBe(LogSeverity.Debug);
  });
});
