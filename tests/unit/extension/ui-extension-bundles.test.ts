// The checkout and customer-account UI extensions as Shopify's CLI bundles them. Shopify refuses to
// deploy a UI extension over 64 KB compressed (128 KB for a full-page customer-account extension):
// https://shopify.dev/docs/api/checkout-ui-extensions/latest#bundle-size. Measured on the bundle and the
// esbuild metafile `shopify app build` writes (the build runs first if a source is newer).
import { describe, expect, it } from "vitest";
import { bundleSize, ensureExtensionBundles, uiExtensionHandles } from "../../../dev/ui-extension-host/build";

const LIMIT = 64 * 1024;

describe("UI extension bundles", () => {
  ensureExtensionBundles();
  const handles = uiExtensionHandles();

  it("builds the thank-you and order-status blocks", () => {
    expect(handles).toEqual(expect.arrayContaining(["loyalty-order-status", "loyalty-thank-you"]));
  });

  it.each(handles)("%s stays within 64 KB compressed", (handle) => {
    const size = bundleSize(handle);
    console.log(handle, { raw: size.raw, gzip: size.gzip, largest: size.inputs.slice(0, 4).map((i) => `${i.path} ${i.bytes}`) });
    expect(size.gzip).toBeLessThanOrEqual(LIMIT);
  });

  it.each(handles)("%s bundles Preact and its own code, nothing of the server and no React", (handle) => {
    const paths = bundleSize(handle).inputs.map((i) => i.path);
    expect(paths.filter((p) => /^app\/|node_modules\/(react|react-dom|@prisma|prisma|zod|@shopify\/shopify-api)\//.test(p))).toEqual([]);
    expect(paths).toContain("node_modules/preact/dist/preact.module.js");
  });
});
