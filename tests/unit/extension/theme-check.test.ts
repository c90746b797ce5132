// Shopify's theme-check on the theme app extension, the way the Shopify CLI runs it on build:
// check(root) sees shopify.extension.toml and applies the "theme-app-extension" configuration
// (app block rules such as AppBlockValidTags and AssetSizeAppBlockJavaScript on top of the
// recommended checks). https://shopify.dev/docs/storefronts/themes/tools/theme-check
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Severity, check, getThemeAndConfig, type Offense } from "@shopify/theme-check-node";
import { EXTENSION_DIR } from "../../../dev/shopify-liquid";

const describeOffense = (o: Offense) => `${["error", "warning", "info"][o.severity]} ${o.check} ${path.relative(EXTENSION_DIR, new URL(o.uri).pathname)}:${o.start.line} ${o.message}`;

const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

describe("theme-check", () => {
  it("runs with the theme app extension configuration", async () => {
    const { config } = await getThemeAndConfig(EXTENSION_DIR);
    expect(config.context).toBe("app");
    const codes = config.checks.map((c) => c.meta.code);
    expect(codes).toEqual(expect.arrayContaining(["AppBlockValidTags", "AppBlockMissingSchema", "AssetSizeAppBlockJavaScript", "LiquidHTMLSyntaxError", "TranslationKeyExists"]));
  });

  it("reports no errors on the extension", async () => {
    const offenses = await check(EXTENSION_DIR);
    const errors = offenses.filter((o) => o.severity === Severity.ERROR);
    expect(errors.map(describeOffense), offenses.map(describeOffense).join("\n")).toEqual([]);
    // Nothing at all, in fact; print whatever shows up later.
    if (offenses.length) console.log(offenses.map(describeOffense).join("\n"));
  }, 60_000);

  it("fails on a broken copy: Liquid syntax error, forbidden tag, oversized script, missing translations", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "loyalty-theme-broken-"));
    scratch.push(dir);
    cpSync(EXTENSION_DIR, dir, { recursive: true });
    writeFileSync(path.join(dir, "blocks", "broken.liquid"), `{% if customer %}<p>{{ customer.first_name | escape }</p>\n{% schema %}{ "name": "Broken", "target": "section", "settings": [] }{% endschema %}\n`);
    writeFileSync(path.join(dir, "blocks", "inline-script.liquid"), `<p>hi</p>\n{% javascript %}console.log(1){% endjavascript %}\n{% schema %}{ "name": "Inline", "target": "section", "settings": [] }{% endschema %}\n`);
    writeFileSync(path.join(dir, "assets", "big.js"), `/* padding */\n${"x".repeat(12_000)}\n`);
    writeFileSync(path.join(dir, "blocks", "big-script.liquid"), `<p>hi</p>\n{% schema %}{ "name": "Big", "target": "body", "javascript": "big.js", "settings": [] }{% endschema %}\n`);
    writeFileSync(path.join(dir, "blocks", "untranslated.liquid"), `<p>{{ 'loyalty.no_such_key' | t }}</p>\n{% schema %}{ "name": "t:blocks.no_such_block.name", "target": "section", "settings": [] }{% endschema %}\n`);

    const offenses = await check(dir);
    const errors = offenses.filter((o) => o.severity === Severity.ERROR);
    const byCheck = new Set(errors.map((o) => o.check));
    expect([...byCheck], errors.map(describeOffense).join("\n")).toEqual(
      expect.arrayContaining(["LiquidHTMLSyntaxError", "AppBlockValidTags", "AssetSizeAppBlockJavaScript", "TranslationKeyExists", "ValidSchemaTranslations"]),
    );
  }, 60_000);
});
