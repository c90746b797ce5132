// The customer account's Rewards page and profile block as Shopify's CLI bundles them (`shopify app
// build` writes dist/<handle>.js and its esbuild metafile; dev/ui-extension-host/build.ts rebuilds them
// first when a source is newer). Shopify refuses to deploy a UI extension over 64 KB compressed, and a
// full-page customer-account extension over 128 KB:
// https://shopify.dev/docs/apps/build/customer-accounts/extension-performance/optimize-bundle-size
// Shopify does not say which compression it measures: gzip and brotli must both fit.
import { readFileSync } from "node:fs";
import { brotliCompressSync, constants } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { bundlePath, bundleSize, ensureExtensionBundles } from "../../../dev/ui-extension-host/build";

const EXTENSIONS = [
  { handle: "loyalty-rewards-page", limitBytes: 128 * 1024, kind: "full page" },
  { handle: "loyalty-profile-block", limitBytes: 64 * 1024, kind: "block" },
];

beforeAll(() => ensureExtensionBundles(), 180_000);

describe.each(EXTENSIONS)("the $handle bundle ($kind)", ({ handle, limitBytes }) => {
  it(`is within ${limitBytes / 1024} KB compressed, gzip and brotli`, () => {
    const size = bundleSize(handle);
    const js = readFileSync(bundlePath(handle));
    expect(size.raw).toBe(js.length); // the metafile describes the file on disk
    const brotli = brotliCompressSync(js, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
    const largest = size.inputs
      .slice(0, 5)
      .map((i) => `${i.path} ${i.bytes} B`)
      .join(", ");
    expect(size.gzip, `${handle}: ${size.raw} B minified, ${size.gzip} B gzip, ${brotli} B brotli; largest inputs: ${largest}`).toBeLessThanOrEqual(limitBytes);
    expect(brotli).toBeLessThanOrEqual(limitBytes);
  });

  it("holds only the extension's code, Preact and Shopify's runtime: the app's types stay types", () => {
    const foreign = bundleSize(handle)
      .inputs.map((i) => i.path)
      .filter((file) => !/^(extensions\/loyalty-[a-z-]+\/src\/|node_modules\/(preact|@preact\/signals(-core)?|@shopify\/ui-extensions)\/|<stdin>$)/.test(file));
    expect(foreign).toEqual([]);
  });
});
