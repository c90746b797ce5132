import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { checkAppTomlScopes, EnvError, parseEnv } from "../../../app/platform/env.server";
import { checkScopesAgainstAppToml, scopesMismatch, scopesOfAppToml } from "../../../app/platform/app-toml-scopes.server";
import { databaseTarget } from "../../../app/platform/db-target";

const good = { SHOPIFY_API_KEY: "k", SHOPIFY_API_SECRET: "s", SHOPIFY_APP_URL: "https://app.example.com", SCOPES: "read_orders,write_discounts" };

describe("environment", () => {
  it("accepts a complete environment and applies defaults", () => {
    const env = parseEnv(good);
    expect(env.SCOPES).toEqual(["read_orders", "write_discounts"]);
    expect(env.DATABASE_URL).toBe("file:./prisma/dev.sqlite");
    expect(env.WORKER_MODE).toBe("inline");
  });

  it.each([
    ["SHOPIFY_API_SECRET", { ...good, SHOPIFY_API_SECRET: undefined }],
    ["SHOPIFY_APP_URL", { ...good, SHOPIFY_APP_URL: "not a url" }],
    ["DATABASE_URL", { ...good, DATABASE_URL: "mysql://x" }],
    ["WORKER_MODE", { ...good, WORKER_MODE: "sometimes" }],
  ])("a missing or malformed %s stops start-up with a message naming it", (name, source) => {
    expect(() => parseEnv(source)).toThrow(new RegExp(`${name}:`));
  });
});

describe("database target", () => {
  it("resolves relative SQLite files from the project root and recognises PostgreSQL", () => {
    expect(databaseTarget("file:./prisma/dev.sqlite", "/srv/app")).toEqual({ provider: "sqlite", url: "file:/srv/app/prisma/dev.sqlite", file: "/srv/app/prisma/dev.sqlite" });
    expect(databaseTarget(undefined, "/srv/app").provider).toBe("sqlite");
    expect(databaseTarget("postgresql://root@127.0.0.1:5432/test")).toEqual({ provider: "postgresql", url: "postgresql://root@127.0.0.1:5432/test" });
    expect(() => databaseTarget("mysql://x")).toThrow(/DATABASE_URL/);
  });
});

describe("SCOPES against shopify.app.toml", () => {
  const root = path.resolve(import.meta.dirname, "../../..");
  const dirs: string[] = [];
  function appDir(toml?: string): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), "app-toml-"));
    dirs.push(dir);
    if (toml !== undefined) writeFileSync(path.join(dir, "shopify.app.toml"), toml);
    return dir;
  }
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it("the project's toml declares the app proxy's write_app_proxy, and .env.example names the same set", () => {
    const declared = scopesOfAppToml(readFileSync(path.join(root, "shopify.app.toml"), "utf8"));
    expect(declared).toContain("write_app_proxy");
    const example = /^SCOPES=(.*)$/m.exec(readFileSync(path.join(root, ".env.example"), "utf8"))?.[1] ?? "";
    expect(scopesMismatch(example.split(","), declared)).toBeNull();
  });

  it("the same scopes in another order, with spaces or repeated, match", () => {
    expect(scopesMismatch(["write_discounts", " read_orders", "read_orders"], ["read_orders", "write_discounts"])).toBeNull();
  });

  it("a scope missing from SCOPES or one the toml does not declare is named, with the value to set", () => {
    const message = scopesMismatch(["read_orders", "read_products"], ["read_orders", "write_app_proxy"]);
    expect(message).toContain("missing from SCOPES: write_app_proxy");
    expect(message).toContain("in SCOPES but not in shopify.app.toml: read_products");
    expect(message).toContain("set SCOPES=read_orders,write_app_proxy");
  });

  it("start-up stops with that message when SCOPES differs from the toml in the app's directory", () => {
    const dir = appDir('[access_scopes]\nscopes = "read_orders,write_app_proxy"\n');
    const differing = parseEnv({ ...good, SCOPES: "read_orders" });
    expect(() => checkAppTomlScopes(differing, dir)).toThrow(EnvError);
    expect(() => checkAppTomlScopes(differing, dir)).toThrow(/SCOPES does not match shopify\.app\.toml.*\n.*missing from SCOPES: write_app_proxy/);
    expect(() => checkAppTomlScopes(parseEnv({ ...good, SCOPES: "write_app_proxy,read_orders" }), dir)).not.toThrow();
  });

  it("a toml that cannot be read stops start-up; a deployment without the toml starts, the check reported as skipped", () => {
    expect(() => checkScopesAgainstAppToml(["read_orders"], appDir("scopes = [unclosed"))).toThrow(/shopify\.app\.toml is not valid TOML/);
    expect(() => checkScopesAgainstAppToml(["read_orders"], appDir('name = "x"\n'))).toThrow(/no \[access_scopes\] scopes/);
    const bare = appDir();
    expect(checkScopesAgainstAppToml(["read_orders"], bare)).toEqual({ checked: false, reason: expect.stringContaining(path.join(bare, "shopify.app.toml")) });
  });

  it("env() of a process started in the project root refuses SCOPES without write_app_proxy", async () => {
    vi.stubEnv("SCOPES", "read_orders,read_customers,write_customers,write_discounts");
    vi.resetModules();
    const { env } = await import("../../../app/platform/env.server");
    expect(() => env()).toThrow(/missing from SCOPES: write_app_proxy/);
  });
});
