// The launcher script is shipped minified from a readable source (docs/decisions/022): the file in
// extensions/loyalty-theme/assets/ must be exactly the build of extensions-src/, so nobody edits the
// shipped copy by hand or forgets to rebuild it (npm run build:theme).
import { describe, expect, it } from "vitest";
import { buildThemeAssets, themeScripts } from "../../../scripts/theme-assets.mjs";

describe("theme extension scripts", () => {
  it("ship the build of their source", async () => {
    expect(themeScripts().map(([, shipped]) => shipped.split("/").slice(-3).join("/"))).toEqual(["loyalty-theme/assets/loyalty-launcher.js"]);
    expect(await buildThemeAssets({ check: true }), "run npm run build:theme").toEqual([]);
  });
});
