// The storefront pays for every byte of the launcher on every page: budgets for what the app
// embed loads. Gzip is what a browser downloads from Shopify's CDN. theme-check rejects app
// block JavaScript over 10,000 bytes on disk (AssetSizeAppBlockJavaScript, on the raw file
// size in @shopify/theme-check-common 3.29) but only for assets named in a block's schema;
// the embed links its assets in its markup (see blocks/rewards-launcher.liquid), so the same
// limits are enforced here.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { EXTENSION_DIR } from "../../../dev/shopify-liquid";

const asset = (name: string) => readFileSync(path.join(EXTENSION_DIR, "assets", name));
const gzipped = (name: string) => gzipSync(asset(name), { level: 9 }).byteLength;

describe("asset sizes", () => {
  it("keeps the launcher script at or under 6 KB gzipped and 10,000 bytes on disk", () => {
    const sizes = { raw: asset("loyalty-launcher.js").byteLength, gzip: gzipped("loyalty-launcher.js") };
    console.log("loyalty-launcher.js", sizes);
    expect(sizes.gzip).toBeLessThanOrEqual(6 * 1024);
    expect(sizes.raw).toBeLessThanOrEqual(10_000);
  });

  it("keeps each stylesheet at or under 4 KB gzipped", () => {
    for (const name of ["loyalty-launcher.css", "loyalty-blocks.css"]) {
      const size = gzipped(name);
      console.log(name, { raw: asset(name).byteLength, gzip: size });
      expect(size, name).toBeLessThanOrEqual(4 * 1024);
    }
  });

  it("ships one script and no other kind of asset", () => {
    const files = readdirSync(path.join(EXTENSION_DIR, "assets")).sort();
    expect(files).toEqual(["loyalty-blocks.css", "loyalty-launcher.css", "loyalty-launcher.js"]);
  });

  it("makes no request other than the app proxy's", () => {
    // The shipped (minified) file and its readable source (extensions-src/, docs/decisions/022).
    const shipped = asset("loyalty-launcher.js").toString("utf8");
    const source = readFileSync(path.join(EXTENSION_DIR, "../../extensions-src/loyalty-theme/assets/loyalty-launcher.js"), "utf8");
    for (const text of [shipped, source]) {
      expect(text).not.toMatch(/https?:\/\//);
      expect(text).not.toMatch(/XMLHttpRequest|sendBeacon|importScripts|import\(|new Image|createElement\(["']script/);
      expect([...text.matchAll(/fetch\(/g)]).toHaveLength(1);
      // Data reaches the page through textContent only.
      expect(text).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
    }
    expect(source).toContain("fetch(cfg.proxy + path");
  });
});
