import { describe, expect, it } from "vitest";
import { parseEnv } from "../../../app/env.server";
import { databaseTarget } from "../../../app/db-target";

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
