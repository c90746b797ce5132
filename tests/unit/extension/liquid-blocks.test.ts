// The theme app extension's blocks rendered with LiquidJS and Shopify-shaped objects
// (see dev/shopify-liquid.ts for the stand-ins and what Shopify documents for each).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { previewPointsForAmount } from "~/domain/earning";
import { ColorDrop, EXTENSION_DIR, blockSchema, program, readLocale, renderBlock, visibleText, type BlockName, type ProgramJson, type RenderBlockOptions } from "../../../dev/shopify-liquid";

const NOW = new Date("2026-11-27T12:00:00Z");
const CAMPAIGN = { name: "Double points weekend", multiplier: "2", endsAt: "2026-11-30T00:00:00Z" };
const SIGNED_IN = { customer: { id: 7, first_name: "Ana" } } as const;

beforeAll(() => {
  // LiquidJS reads 'now' from Date.now(), as Shopify uses the time the page is rendered.
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
});
afterAll(() => {
  vi.useRealTimers();
});

async function render(name: BlockName, options: RenderBlockOptions = {}) {
  const html = await renderBlock(name, options);
  expect(html).not.toMatch(/Translation missing|Liquid error|NaN|undefined/);
  return { html, text: visibleText(html) };
}

describe("points-balance block", () => {
  it("shows a signed-in shopper's balance, pending points and the reward they can redeem", async () => {
    const { html, text } = await render("points-balance", { ...SIGNED_IN, points: { balance: 620, pending: 30, updatedAt: "2026-11-23T10:00:00Z" } });
    expect(text).toContain("Your rewards");
    expect(text).toContain("Points balance 620 points");
    expect(text).toContain("30 points pending");
    expect(text).toContain("You can redeem: $5 off");
    expect(text).not.toContain("Sign in");
    // The "Redeem now" button stays hidden unless the launcher embed's script reveals it.
    expect(html).toMatch(/<button[^>]*data-loyalty-open[^>]*hidden/);
  });

  it("shows how far the next reward is, with a progress bar", async () => {
    const { html, text } = await render("points-balance", { ...SIGNED_IN, points: { balance: 120, pending: 0 } });
    expect(text).toContain("Points balance 120 points");
    expect(text).toContain("380 more points to unlock: $5 off");
    expect(text).not.toContain("pending");
    expect(html).toMatch(/<progress[^>]*max="500"[^>]*value="120"[^>]*aria-label="Progress to your next reward"/);
  });

  it("says 1 point, not 1 points", async () => {
    const { text } = await render("points-balance", { ...SIGNED_IN, points: { balance: 1, pending: 1 } });
    expect(text).toContain("Points balance 1 point");
    expect(text).toContain("1 point pending");
  });

  it("hides pending points and the next reward when the merchant turns them off", async () => {
    const { text } = await render("points-balance", {
      ...SIGNED_IN,
      points: { balance: 620, pending: 30 },
      settings: { show_pending: false, show_next_reward: false },
    });
    expect(text).toContain("620");
    expect(text).not.toContain("pending");
    expect(text).not.toContain("$5 off");
  });

  it("explains the program and links to sign-in for a signed-out shopper", async () => {
    const { html, text } = await render("points-balance");
    expect(text).toContain("Earn 1 point for every $1 you spend.");
    expect(text).toContain("Sign in to see your points balance and rewards.");
    expect(html).toContain('href="/account/login"');
    expect(html).not.toContain("lyl-balance__number");
  });

  it("explains a negative balance and offers no reward", async () => {
    const { html, text } = await render("points-balance", { ...SIGNED_IN, points: { balance: -40, pending: 0 } });
    expect(text).toContain("Points balance -40 points");
    expect(text).toContain("Your balance is below zero");
    expect(text).not.toContain("You can redeem");
    expect(text).not.toContain("more points to unlock");
    expect(html).toContain("lyl-balance__number--negative");
    expect(html).not.toContain("<progress");
  });

  it("shows 0 points and the program explainer when the points metafield is missing", async () => {
    const { text } = await render("points-balance", { ...SIGNED_IN, points: null });
    expect(text).toContain("Points balance 0 points");
    expect(text).toContain("Your points will appear here after your first order.");
    expect(text).toContain("Earn 1 point for every $1 you spend.");
    expect(text).toContain("500 more points to unlock: $5 off");
  });

  it("renders nothing when the program metafield is missing, and a hint in the theme editor", async () => {
    expect((await render("points-balance", { ...SIGNED_IN, points: { balance: 5 }, program: null })).html.trim()).toBe("");
    expect((await render("points-balance", { program: null })).html.trim()).toBe("");
    const editor = await render("points-balance", { program: null, designMode: true });
    expect(editor.text).toContain("The loyalty program isn’t set up yet.");
  });

  it("escapes the merchant's heading and reward names", async () => {
    const { html, text } = await render("points-balance", {
      ...SIGNED_IN,
      points: { balance: 900 },
      settings: { heading: '<script>alert("x")</script>' },
      program: program({ rewards: [{ id: "r1", name: "<img src=x onerror=alert(1)>", pointsCost: 500, discountType: "fixed_amount", value: "5" }] }),
    });
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(text).toContain("You can redeem: <img src=x onerror=alert(1)>");
  });

  it("uses the accent colour with a readable text colour chosen by contrast", async () => {
    const dark = await render("points-balance", { ...SIGNED_IN, points: { balance: 10 }, settings: { accent_color: new ColorDrop("#1F4E79") } });
    expect(dark.html).toContain("--lyl-accent: #1F4E79; --lyl-on-accent: #FFFFFF;");
    const light = await render("points-balance", { ...SIGNED_IN, points: { balance: 10 }, settings: { accent_color: new ColorDrop("#FFD400") } });
    expect(light.html).toContain("--lyl-accent: #FFD400; --lyl-on-accent: #121212;");
    // A colour the merchant cleared (transparent) falls back to the theme's colours.
    const cleared = await render("points-balance", { ...SIGNED_IN, points: { balance: 10 }, settings: { accent_color: new ColorDrop("#000000", 0) } });
    expect(cleared.html).not.toContain("--lyl-accent");
  });

  it("mentions a running campaign by name", async () => {
    const { text } = await render("points-balance", { ...SIGNED_IN, points: { balance: 10 }, program: program({ campaign: CAMPAIGN }) });
    expect(text).toContain("Now on: Double points weekend");
    const ended = await render("points-balance", { ...SIGNED_IN, points: { balance: 10 }, program: program({ campaign: { ...CAMPAIGN, endsAt: "2026-11-26T00:00:00Z" } }) });
    expect(ended.text).not.toContain("Double points weekend");
  });

  it("speaks French, with French plural rules (0 and 1 are singular)", async () => {
    const euro: RenderBlockOptions = { locale: "fr", moneyFormat: "{{amount_with_comma_separator}} €", presentmentCurrency: "EUR", program: program({ currencyCode: "EUR" }) };
    const signedIn = await render("points-balance", { ...euro, ...SIGNED_IN, points: null });
    expect(signedIn.text).toContain("Vos récompenses");
    expect(signedIn.text).toContain("Solde de points 0 point");
    expect(signedIn.text).toContain("Gagnez 1 point pour chaque tranche de 1 € dépensée.");
    expect(signedIn.text).toContain("Encore 500 points pour débloquer : $5 off");
    const signedOut = await render("points-balance", euro);
    expect(signedOut.text).toContain("Connectez-vous pour voir votre solde de points et vos récompenses.");
    expect(signedOut.html).toContain('href="/fr/account/login"');
  });
});

describe("program explainer (snippets/loyalty-earn-rate)", () => {
  it.each([
    ["1", "Earn 1 point for every $1 you spend."],
    ["10", "Earn 10 points for every $1 you spend."],
    ["0.5", "Earn 1 point for every $2 you spend."],
    ["0.125", "Earn 1 point for every $8 you spend."],
    ["0.3", "Earn 3 points for every $10 you spend."],
    ["1.5", "Earn 15 points for every $10 you spend."],
    ["0.07", "Earn 7 points for every $100 you spend."],
    ["0.0123", "Earn 0.0123 points for every $1 you spend."],
  ])("rate %s reads %s", async (rate, sentence) => {
    const { text } = await render("points-balance", { program: program({ pointsPerUnit: rate }) });
    expect(text).toContain(sentence);
  });

  it("falls back to a generic sentence when the shopper sees another currency, or the rate is unusable", async () => {
    const otherCurrency = await render("points-balance", { presentmentCurrency: "CAD" });
    expect(otherCurrency.text).toContain("Earn points on every purchase and spend them on rewards.");
    expect(otherCurrency.text).not.toContain("$1");
    const blank = await render("points-balance", { program: program({ pointsPerUnit: "" }) });
    expect(blank.text).toContain("Earn points on every purchase");
  });
});

describe("earn-on-product block", () => {
  async function earnText(price: number, overrides: Partial<ProgramJson>, extra: RenderBlockOptions = {}) {
    const { text } = await render("earn-on-product", { product: { title: "Shirt", price }, program: program(overrides), ...extra });
    return text;
  }

  it.each([
    // price (hundredths), rate, rounding, expected
    [2499, "1", "down", "Earn 24 points"],
    [2499, "1", "nearest", "Earn 25 points"],
    [2499, "0.5", "down", "Earn 12 points"],
    [2499, "0.5", "nearest", "Earn 12 points"],
    [2500, "0.5", "nearest", "Earn 13 points"],
    [2499, "10", "down", "Earn 249 points"],
    [2499, "10", "nearest", "Earn 250 points"],
    [199, "0.5", "down", "Earn 0 points"],
    [100, "1", "down", "Earn 1 point"],
    [2900, "0.29", "down", "Earn 8 points"],
    // $100 at 0.29: 29 exactly; float maths (10000 * 0.29 = 2899.9999999999995) would floor to 28.
    [10000, "0.29", "down", "Earn 29 points"],
  ] as const)("%i at %s rounded %s: %s", async (price, rate, rounding, expected) => {
    const text = await earnText(price, { pointsPerUnit: rate, rounding });
    if (expected === "Earn 0 points") expect(text).toBe("");
    else expect(text).toBe(expected);
  });

  it("multiplies during a campaign and names it, rounding once on the boosted total", async () => {
    expect(await earnText(2499, { rounding: "nearest", campaign: CAMPAIGN })).toBe("Earn 50 points — Double points weekend");
    expect(await earnText(2499, { rounding: "down", campaign: CAMPAIGN })).toBe("Earn 49 points — Double points weekend");
    const oneAndHalf = { ...CAMPAIGN, name: "Happy hour", multiplier: "1.5" };
    expect(await earnText(2499, { campaign: oneAndHalf })).toBe("Earn 37 points — Happy hour"); // 37.485
    expect(await earnText(2499, { pointsPerUnit: "0.5", rounding: "nearest", campaign: oneAndHalf })).toBe("Earn 19 points — Happy hour"); // 18.74
    expect(await earnText(2499, { pointsPerUnit: "10", campaign: oneAndHalf })).toBe("Earn 374 points — Happy hour"); // 374.85
  });

  it("ignores a campaign that ended, hasn't started, or wouldn't add points; can hide the name", async () => {
    expect(await earnText(2499, { campaign: { ...CAMPAIGN, endsAt: "2026-11-27T11:59:59Z" } })).toBe("Earn 24 points");
    expect(await earnText(2499, { campaign: { ...CAMPAIGN, startsAt: "2026-11-28T00:00:00Z" } })).toBe("Earn 24 points");
    expect(await earnText(2499, { campaign: { ...CAMPAIGN, multiplier: "1" } })).toBe("Earn 24 points");
    expect(await earnText(2499, { campaign: { ...CAMPAIGN, multiplier: "0.5" } })).toBe("Earn 24 points");
    expect(await earnText(2499, { campaign: CAMPAIGN }, { settings: { show_campaign: false } })).toBe("Earn 49 points");
  });

  it("escapes the campaign name", async () => {
    const { html } = await render("earn-on-product", { program: program({ campaign: { ...CAMPAIGN, name: "<b>2x</b> & more" } }) });
    expect(html).toContain("&lt;b&gt;2x&lt;/b&gt; &amp; more");
  });

  it("renders nothing without a program, when paused, without a product, or for a free product", async () => {
    expect((await render("earn-on-product", { program: null })).html.trim()).toBe("");
    expect(await earnText(2499, { enabled: false })).toBe("");
    expect((await render("earn-on-product", { product: null })).html.trim()).toBe("");
    expect(await earnText(0, {})).toBe("");
  });

  it("doesn't show a number computed from another currency's price", async () => {
    expect(await earnText(2499, {}, { presentmentCurrency: "EUR" })).toBe("Earn loyalty points with this purchase");
  });

  it("speaks French", async () => {
    expect(await earnText(2499, { rounding: "nearest", campaign: CAMPAIGN }, { locale: "fr" })).toBe("Gagnez 50 points — Double points weekend");
    expect(await earnText(100, {}, { locale: "fr" })).toBe("Gagnez 1 point");
  });

  it("agrees with the app's own preview (previewPointsForAmount) for any price, rate and multiplier", async () => {
    const decimal = (maxUnits: number) =>
      fc.tuple(fc.integer({ min: 0, max: maxUnits }), fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 4 })).map(([whole, fraction, digits]) => {
        if (digits === 0) return String(whole);
        return `${whole}.${String(fraction).padStart(4, "0").slice(0, digits)}`;
      });
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 100_000_000 }),
        decimal(100).filter((rate) => Number(rate) > 0),
        fc.option(decimal(10), { nil: null }),
        fc.constantFrom("down" as const, "nearest" as const),
        async (price, rate, multiplier, rounding) => {
          const campaign = multiplier === null ? null : { ...CAMPAIGN, multiplier };
          const text = await earnText(price, { pointsPerUnit: rate, rounding, campaign });
          const amount = `${Math.floor(price / 100)}.${String(price % 100).padStart(2, "0")}`;
          const expected = previewPointsForAmount(amount, { enabled: true, pointsPerUnit: rate, rounding }, multiplier);
          const shown = Number(/Earn (\d+) points?/.exec(text)?.[1] ?? 0);
          expect(shown).toBe(expected);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe("rewards-launcher embed", () => {
  function config(html: string) {
    const json = /<script type="application\/json" data-loyalty-config>([\s\S]*?)<\/script>/.exec(html)?.[1];
    expect(json).toBeDefined();
    return JSON.parse(json!) as { proxy: string; root: string; locale: string; currency: string; signedIn: boolean; balance: number; pending: number; t: Record<string, string> };
  }

  it("renders an accessible toggle and dialog, with the metafield balance and the rewards", async () => {
    const { html } = await render("rewards-launcher", { ...SIGNED_IN, points: { balance: 620, pending: 30 } });
    const controls = /aria-controls="([^"]+)"/.exec(html)?.[1];
    expect(controls).toBe("lyl-panel-AbC123");
    expect(html).toMatch(/<button[^>]*aria-expanded="false"[^>]*aria-controls="lyl-panel-AbC123"/);
    expect(html).toMatch(/id="lyl-panel-AbC123"\s+role="dialog"\s+aria-labelledby="lyl-title-AbC123"/);
    expect(html).toMatch(/<h2 class="lyl-panel__title" id="lyl-title-AbC123">Your rewards<\/h2>/);
    expect(html).toContain('<li data-id="r1" data-cost="500">$5 off</li><li data-id="r2" data-cost="1500">$15 off</li>');
    expect(html).toContain('<span class="lyl-launcher__badge" data-loyalty-badge>620</span>');
    const cfg = config(html);
    expect(cfg).toMatchObject({ proxy: "/apps/loyalty", root: "/", locale: "en", signedIn: true, balance: 620, pending: 30 });
    expect(cfg.t.points_other).toBe("%{n} points");
    for (const [key, value] of Object.entries(cfg.t)) expect(value, key).not.toMatch(/Translation missing/);
  });

  it('has an empty, hidden "Your codes" list for the script to fill, and the shop’s currency for their values', async () => {
    const { html } = await render("rewards-launcher", { ...SIGNED_IN, points: { balance: 620 } });
    expect(html).toMatch(/<div class="lyl-codes" data-loyalty-codes-box hidden>\s*<h3 class="lyl-panel__subtitle" id="lyl-panel-AbC123-codes" tabindex="-1" data-loyalty-codes-heading>Your codes<\/h3>/);
    expect(html).toContain('<ul class="lyl-codes__list" aria-labelledby="lyl-panel-AbC123-codes" data-loyalty-codes></ul>');
    const cfg = config(html);
    // Discount values are in the shop's currency, whatever the shopper browses in.
    expect(cfg.currency).toBe("USD");
    expect(config((await render("rewards-launcher", { ...SIGNED_IN, points: { balance: 620 }, presentmentCurrency: "EUR" })).html).currency).toBe("USD");
    expect(cfg.t).toMatchObject({
      thank_you: "Your thank-you code",
      amount_off: "%{amount} off",
      percent_off: "%{value} off",
      free_shipping: "Free shipping",
      minimum: "on orders of %{amount} or more",
      time_left: "%{time} left",
      ends_on: "Ends %{date}",
      copy: "Copy code",
      copied: "Code copied",
      apply: "Apply to cart",
    });
    // Signed out: no codes to list.
    expect((await render("rewards-launcher")).html).not.toContain("data-loyalty-codes");
  });

  it("links its stylesheet before its markup and its script deferred after it, from the extension's assets", async () => {
    const { html } = await render("rewards-launcher", { ...SIGNED_IN, points: { balance: 5 } });
    const cdn = "https://cdn.shopify.com/extensions/loyalty-theme/assets";
    expect(html.trimStart().startsWith(`<link rel="stylesheet" href="${cdn}/loyalty-launcher.css">`)).toBe(true);
    expect(html.trimEnd().endsWith(`<script src="${cdn}/loyalty-launcher.js" defer></script>`)).toBe(true);
    // Shown by the stylesheet, never unstyled.
    expect(html).toMatch(/<div\s+class="lyl-launcher[^"]*"\s+style="[^"]*"\s+hidden\s+data-loyalty-launcher/);
    expect([...html.matchAll(/<script\b/g)]).toHaveLength(2); // the JSON config and the asset
  });

  it("keeps merchant text out of the <script> and escapes it in the list", async () => {
    const { html } = await render("rewards-launcher", {
      ...SIGNED_IN,
      points: { balance: 620 },
      program: program({ rewards: [{ id: 'r"1', name: "</script><script>alert(1)</script>", pointsCost: 5, discountType: "fixed_amount", value: "5" }] }),
    });
    expect(html).not.toContain("<script>alert");
    expect(html).toContain('data-id="r&quot;1"');
    expect(html).toContain("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(config(html).balance).toBe(620);
  });

  it("asks a signed-out shopper to sign in", async () => {
    const { html, text } = await render("rewards-launcher");
    expect(config(html)).toMatchObject({ signedIn: false, balance: 0 });
    expect(text).toContain("Sign in to see and spend your points.");
    expect(html).toMatch(/<a class="lyl-btn[^"]*" href="\/account\/login">Sign in<\/a>/);
    expect(html).not.toContain("data-loyalty-badge");
  });

  it("starts from a negative balance without errors", async () => {
    const { html } = await render("rewards-launcher", { ...SIGNED_IN, points: { balance: -40, pending: 0 } });
    expect(config(html).balance).toBe(-40);
    expect(html).toMatch(/data-loyalty-pending-row hidden/);
  });

  it("works without the program metafield", async () => {
    const { html } = await render("rewards-launcher", { ...SIGNED_IN, points: { balance: 5 }, program: null });
    expect(html).toMatch(/<ul class="lyl-panel__rewards" data-loyalty-rewards><\/ul>/);
  });

  it("picks a readable button text colour for the merchant's button colour", async () => {
    expect((await render("rewards-launcher", {})).html).toContain("--lyl-accent: #1A1A1A; --lyl-on-accent: #FFFFFF;");
    expect((await render("rewards-launcher", { settings: { accent_color: new ColorDrop("#FFD400") } })).html).toContain("--lyl-on-accent: #121212;");
    expect((await render("rewards-launcher", { settings: { position: "left" } })).html).toContain("lyl-launcher--left");
  });

  it("speaks French", async () => {
    const { html, text } = await render("rewards-launcher", { ...SIGNED_IN, points: { balance: 1 }, locale: "fr" });
    expect(text).toContain("Vos récompenses");
    const cfg = config(html);
    expect(cfg.locale).toBe("fr");
    expect(cfg.root).toBe("/fr");
    expect(cfg.t.redeem).toBe("Échanger");
    expect(cfg.t.needs_more_other).toBe("Encore %{n} points nécessaires");
    expect(cfg.t).toMatchObject({ thank_you: "Votre code de remerciement", time_left: "Encore %{time}", ends_on: "Se termine le %{date}", minimum: "dès %{amount} d’achat" });
    expect(text).toContain("Vos codes");
  });
});

describe("schemas and locales", () => {
  const blocks: BlockName[] = ["points-balance", "earn-on-product", "rewards-launcher"];

  it("declares the targets and assets the brief asks for", () => {
    expect(blockSchema("points-balance").target).toBe("section");
    expect(blockSchema("earn-on-product")).toMatchObject({ target: "section", enabled_on: { templates: ["product"] } });
    expect(blockSchema("rewards-launcher").target).toBe("body");
    expect(blockSchema("points-balance").stylesheet).toBe("loyalty-blocks.css");
    expect(blockSchema("earn-on-product").stylesheet).toBe("loyalty-blocks.css");
    const settings = blockSchema("points-balance").settings.map((s) => `${s.id}:${s.type}`);
    expect(settings).toEqual(["heading:text", "show_pending:checkbox", "show_next_reward:checkbox", "accent_color:color"]);
  });

  it("has every translation key used in Liquid, in English and French", () => {
    const used = new Set<string>();
    for (const dir of ["blocks", "snippets"]) {
      for (const file of readdirSync(path.join(EXTENSION_DIR, dir))) {
        const source = readFileSync(path.join(EXTENSION_DIR, dir, file), "utf8");
        for (const match of source.matchAll(/'([a-z_.]+)'\s*\|\s*t\b/g)) used.add(match[1]!);
      }
    }
    expect(used.size).toBeGreaterThan(30);
    for (const file of ["en.default.json", "fr.json"]) {
      const locale = readLocale(file);
      for (const key of used) {
        const value = key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], locale);
        expect(value, `${file}: ${key}`).toBeDefined();
      }
    }
  });

  it("has the same keys in French as in English, and no characters that escaping would mangle", () => {
    const flatten = (node: unknown, prefix = ""): [string, string][] => (typeof node === "string" ? [[prefix, node]] : Object.entries(node as object).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k)));
    for (const [english, french] of [
      ["en.default.json", "fr.json"],
      ["en.default.schema.json", "fr.schema.json"],
    ] as const) {
      const en = flatten(readLocale(english));
      const fr = flatten(readLocale(french));
      expect(fr.map(([k]) => k).sort()).toEqual(en.map(([k]) => k).sort());
      for (const [key, value] of [...en, ...fr]) {
        // Translations may be HTML-escaped by Shopify; with none of these there is nothing to escape.
        expect(value, key).not.toMatch(/[<>"'&]/);
      }
      const placeholders = (text: string) => [...text.matchAll(/\{\{\s*\w+\s*\}\}|%\{\w+\}/g)].map((m) => m[0].replace(/\s/g, "")).sort();
      const frByKey = new Map(fr);
      for (const [key, value] of en) expect(placeholders(frByKey.get(key)!), key).toEqual(placeholders(value));
    }
  });

  it("names every schema label through the schema locale files", () => {
    const schemaLocales = ["en.default.schema.json", "fr.schema.json"].map(readLocale);
    for (const name of blocks) {
      const schema = JSON.stringify(blockSchema(name));
      const keys = [...schema.matchAll(/"t:([a-z_.]+)"/g)].map((m) => m[1]!);
      expect(keys.length).toBeGreaterThan(2);
      for (const locale of schemaLocales) {
        for (const key of keys) {
          const value = key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], locale);
          expect(typeof value, key).toBe("string");
        }
      }
      // App block names are limited to 25 characters in the theme editor.
      for (const locale of schemaLocales) {
        const blockKey = name.replace(/-/g, "_");
        const display = ((locale.blocks as Record<string, { name: string }>)[blockKey] as { name: string }).name;
        expect(display.length, display).toBeLessThanOrEqual(25);
      }
    }
  });
});
