// Renders the theme app extension's Liquid with LiquidJS, with small stand-ins for the parts of
// Shopify's Liquid that LiquidJS doesn't have. Each stand-in follows Shopify's documentation
// (links inline); anything the blocks use that isn't stood in for fails loudly (strictFilters).
// Used by the unit tests (tests/unit/extension) and the storefront page of the browser test.
import { readFileSync } from "node:fs";
import path from "node:path";
import { Drop, Liquid, Tag, TypeGuards, type TagToken, type TopLevelToken } from "liquidjs";

export const EXTENSION_DIR = path.resolve(import.meta.dirname, "../extensions/loyalty-theme");
export type BlockName = "points-balance" | "earn-on-product" | "rewards-launcher";
export type LocaleCode = "en" | "fr";

// ---------------------------------------------------------------------------------------------
// Data contract (what the app writes; the extension only reads it)

export interface PointsJson {
  balance: number;
  pending?: number;
  updatedAt?: string;
}

export interface RewardJson {
  id: string;
  name: string;
  pointsCost: number;
  discountType: "fixed_amount" | "percentage";
  value: string;
}

export interface ProgramJson {
  pointsPerUnit: string;
  rounding: "down" | "nearest";
  currencyCode: string;
  programName: string;
  campaign: { name: string; multiplier: string; endsAt: string; startsAt?: string } | null;
  rewards: RewardJson[];
  enabled: boolean;
}

export function program(overrides: Partial<ProgramJson> = {}): ProgramJson {
  return {
    pointsPerUnit: "1",
    rounding: "down",
    currencyCode: "USD",
    programName: "Rewards",
    campaign: null,
    rewards: [
      { id: "r1", name: "$5 off", pointsCost: 500, discountType: "fixed_amount", value: "5" },
      { id: "r2", name: "$15 off", pointsCost: 1500, discountType: "fixed_amount", value: "15" },
    ],
    enabled: true,
    ...overrides,
  };
}

// ---------------------------------------------------------------------------------------------
// Shopify-shaped objects

/** A color setting's value: a color object that prints as its hex value
 * (https://shopify.dev/docs/api/liquid/objects/color). */
export class ColorDrop extends Drop {
  constructor(
    private readonly hex: string,
    readonly alpha = 1,
  ) {
    super();
  }
  override valueOf(): string {
    return this.hex;
  }
  override toString(): string {
    return this.hex;
  }
}

export interface StorefrontOptions {
  locale?: LocaleCode;
  /** null: signed out. */
  customer?: { id: number; first_name: string } | null;
  /** Customer metafield $app:loyalty / points; undefined/null: missing. */
  points?: PointsJson | null;
  /** App-data metafield loyalty / program; null: missing. */
  program?: ProgramJson | null;
  presentmentCurrency?: string;
  moneyFormat?: string;
  designMode?: boolean;
  product?: { title: string; price: number } | null;
}

/** The global objects a block sees on a Shopify storefront. */
export function storefrontGlobals(options: StorefrontOptions = {}): Record<string, unknown> {
  const locale = options.locale ?? "en";
  const root = locale === "en" ? "/" : `/${locale}`;
  const prefix = locale === "en" ? "" : `/${locale}`;
  const customerMetafields: Record<string, unknown> = {};
  if (options.points) customerMetafields["$app:loyalty"] = { points: metafield(options.points) };
  const appMetafields: Record<string, unknown> = {};
  if (options.program !== null) appMetafields.loyalty = { program: metafield(options.program ?? program()) };
  const product = options.product === null ? undefined : (options.product ?? { title: "Linen shirt", price: 2499 });
  return {
    shop: {
      name: "Test shop",
      currency: "USD",
      money_format: options.moneyFormat ?? "${{amount}}",
      money_with_currency_format: "${{amount}} USD",
    },
    customer: options.customer ? { ...options.customer, metafields: customerMetafields } : undefined,
    app: { metafields: appMetafields },
    routes: { root_url: root, account_login_url: `${prefix}/account/login`, cart_url: `${prefix}/cart` },
    request: { locale: { iso_code: locale }, design_mode: options.designMode ?? false },
    cart: { currency: { iso_code: options.presentmentCurrency ?? "USD" } },
    product: product && {
      title: product.title,
      price: product.price,
      selected_or_first_available_variant: { id: 1, title: "Default", price: product.price },
    },
  };
}

/** A json metafield: `.value` is the parsed object (https://shopify.dev/docs/api/liquid/objects/metafield). */
function metafield(value: unknown) {
  return { type: "json", value };
}

// ---------------------------------------------------------------------------------------------
// Filters and tags LiquidJS doesn't have

type LocaleTree = { [key: string]: string | LocaleTree };

export function readLocale(file: string): LocaleTree {
  return JSON.parse(readFileSync(path.join(EXTENSION_DIR, "locales", file), "utf8")) as LocaleTree;
}

function lookup(tree: LocaleTree, key: string): string | LocaleTree | undefined {
  let node: string | LocaleTree | undefined = tree;
  for (const part of key.split(".")) {
    if (node === undefined || typeof node === "string") return undefined;
    node = node[part];
  }
  return node;
}

/**
 * The `t` filter: the key from the active locale's file, falling back to the default
 * (en.default.json); `count` picks the CLDR plural form (one/other/...); `{{ name }}` is
 * replaced by the named argument
 * (https://shopify.dev/docs/storefronts/themes/architecture/locales/storefront-locale-files#usage).
 * The blocks only ever interpolate numbers and money amounts, never merchant or shopper text,
 * so nothing here depends on whether Shopify escapes interpolated values.
 */
export function translate(locale: LocaleCode, key: string, vars: Record<string, unknown> = {}): string {
  const files = locale === "en" ? [readLocale("en.default.json")] : [readLocale(`${locale}.json`), readLocale("en.default.json")];
  let entry: string | LocaleTree | undefined;
  for (const file of files) {
    entry = lookup(file, key);
    if (entry !== undefined) break;
  }
  if (entry === undefined) return `Translation missing: ${locale}.${key}`;
  if (typeof entry !== "string") {
    if (!("count" in vars)) return `Translation missing: ${locale}.${key}`;
    const form = new Intl.PluralRules(locale).select(Number(vars.count));
    entry = entry[form] ?? entry.other;
    if (typeof entry !== "string") return `Translation missing: ${locale}.${key}.${form}`;
  }
  return entry.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** The money filters: hundredths formatted with the shop's money format
 * (https://help.shopify.com/manual/payments/currency-formatting). */
export function formatMoney(cents: number, format: string, withoutTrailingZeros = false): string {
  const group = (units: string, separator: string) => units.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
  const value = (decimals: number, thousands: string, decimal: string) => {
    const fixed = (Math.round(cents) / 100).toFixed(decimals);
    const [units = "0", fraction] = fixed.split(".");
    if (fraction === undefined || (withoutTrailingZeros && /^0+$/.test(fraction))) return group(units, thousands);
    return `${group(units, thousands)}${decimal}${fraction}`;
  };
  const placeholders: Record<string, () => string> = {
    amount: () => value(2, ",", "."),
    amount_no_decimals: () => value(0, ",", "."),
    amount_with_comma_separator: () => value(2, ".", ","),
    amount_no_decimals_with_comma_separator: () => value(0, ".", ","),
    amount_with_apostrophe_separator: () => value(2, "'", "."),
    amount_no_decimals_with_space_separator: () => value(0, " ", ","),
    amount_with_space_separator: () => value(2, " ", ","),
    amount_with_period_and_space_separator: () => value(2, " ", "."),
  };
  return format.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => placeholders[name]?.() ?? whole);
}

/** WCAG 2 contrast ratio, one decimal, as the color_contrast filter
 * (https://shopify.dev/docs/api/liquid/filters/color_contrast). */
export function contrastRatio(a: string, b: string): number {
  const luminance = (hex: string) => {
    const match = /^#?([0-9a-f]{6})$/i.exec(hex.trim());
    if (!match?.[1]) throw new Error(`color_contrast stand-in only reads #rrggbb, got ${hex}`);
    const channels = [0, 2, 4].map((i) => parseInt(match[1]!.slice(i, i + 2), 16) / 255);
    const [r, g, bl] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return Math.round(((high + 0.05) / (low + 0.05)) * 10) / 10;
}

/** Consumes everything up to {% end<name> %} and outputs nothing ({% schema %}, {% doc %}, ...). */
function silentBlock(endName: string) {
  return class extends Tag {
    body = "";
    constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
      super(token, remainTokens, liquid);
      const parts: string[] = [];
      while (remainTokens.length) {
        const next = remainTokens.shift()!;
        if (TypeGuards.isTagToken(next) && next.name === endName) {
          this.body = parts.join("");
          return;
        }
        parts.push(next.getText());
      }
      throw new Error(`tag ${token.getText()} not closed`);
    }
    render() {
      return "";
    }
  };
}

const namedArgs = (args: unknown[]) => Object.fromEntries(args.filter((a): a is [string, unknown] => Array.isArray(a) && a.length === 2 && typeof a[0] === "string"));

export interface ShopifyLiquidOptions {
  locale?: LocaleCode;
  /** What asset_url returns for "x.js": `${assetBase}/x.js`. */
  assetBase?: string;
}

export function createShopifyLiquid(options: ShopifyLiquidOptions = {}): Liquid {
  const locale = options.locale ?? "en";
  const assetBase = options.assetBase ?? "https://cdn.shopify.com/extensions/loyalty-theme/assets";
  const liquid = new Liquid({
    root: [path.join(EXTENSION_DIR, "blocks")],
    partials: [path.join(EXTENSION_DIR, "snippets")],
    extname: ".liquid",
    relativeReference: false,
    strictFilters: true,
    ownPropertyOnly: true,
    cache: false,
  });

  liquid.registerTag("schema", silentBlock("endschema"));
  liquid.registerTag("doc", silentBlock("enddoc"));
  // App blocks may not use these (theme-check AppBlockValidTags), but a stand-in keeps a stray
  // one from being silently mis-rendered.
  liquid.registerTag("javascript", silentBlock("endjavascript"));
  liquid.registerTag("stylesheet", silentBlock("endstylesheet"));

  liquid.registerFilter("t", (key: string, ...args: unknown[]) => translate(locale, key, namedArgs(args)));
  liquid.registerFilter("translate", (key: string, ...args: unknown[]) => translate(locale, key, namedArgs(args)));
  liquid.registerFilter("money", function (this: { context: { getSync(p: string[]): unknown } }, cents: unknown) {
    return formatMoney(Number(cents), String(this.context.getSync(["shop", "money_format"]) ?? "${{amount}}"));
  });
  liquid.registerFilter("money_without_trailing_zeros", function (this: { context: { getSync(p: string[]): unknown } }, cents: unknown) {
    return formatMoney(Number(cents), String(this.context.getSync(["shop", "money_format"]) ?? "${{amount}}"), true);
  });
  // Shopify's escape is Ruby's CGI.escapeHTML (https://shopify.dev/docs/api/liquid/filters/escape):
  // the same five characters as LiquidJS's, with &quot; and &#39; rather than &#34; and &#39;.
  const escapes: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  liquid.registerFilter("escape", (value: unknown) => (value == null ? value : String(value).replace(/[&<>"']/g, (c) => escapes[c]!)));
  liquid.registerFilter("asset_url", (name: string) => `${assetBase}/${name}`);
  liquid.registerFilter("color_contrast", (a: unknown, b: unknown) => contrastRatio(String(a), String(b)));
  // Shopify: "If you divide by an integer, the result is rounded down to the nearest integer"
  // (https://shopify.dev/docs/api/liquid/filters/divided_by). LiquidJS divides as floats.
  liquid.registerFilter("divided_by", (dividend: unknown, divisor: unknown) => {
    const a = Number(dividend);
    const b = Number(divisor);
    if (b === 0) throw new Error("Liquid error: divided by 0");
    return Number.isInteger(a) && Number.isInteger(b) ? Math.floor(a / b) : a / b;
  });
  return liquid;
}

// ---------------------------------------------------------------------------------------------
// Blocks

export function blockSource(name: BlockName): string {
  return readFileSync(path.join(EXTENSION_DIR, "blocks", `${name}.liquid`), "utf8");
}

export interface BlockSchema {
  name: string;
  target: "section" | "body";
  javascript?: string;
  stylesheet?: string;
  enabled_on?: { templates?: string[] };
  settings: { id: string; type: string; default?: unknown; label: string; info?: string; options?: { value: string; label: string }[] }[];
}

export function blockSchema(name: BlockName): BlockSchema {
  const match = /\{%-?\s*schema\s*-?%\}([\s\S]*?)\{%-?\s*endschema\s*-?%\}/.exec(blockSource(name));
  if (!match?.[1]) throw new Error(`${name} has no schema`);
  return JSON.parse(match[1]) as BlockSchema;
}

/** The block's settings as Shopify hands them over: schema defaults, then the merchant's values. */
export function blockSettings(name: BlockName, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const defaults = Object.fromEntries(
    blockSchema(name)
      .settings.filter((s) => "default" in s)
      .map((s) => [s.id, s.default]),
  );
  return { ...defaults, ...overrides };
}

export interface RenderBlockOptions extends StorefrontOptions {
  settings?: Record<string, unknown>;
  blockId?: string;
  assetBase?: string;
}

export async function renderBlock(name: BlockName, options: RenderBlockOptions = {}): Promise<string> {
  const liquid = createShopifyLiquid({ locale: options.locale, assetBase: options.assetBase });
  const block = { id: options.blockId ?? "AbC123", type: `shopify://apps/loyalty/blocks/${name}`, settings: blockSettings(name, options.settings), shopify_attributes: "" };
  return liquid.renderFile(name, { block }, { globals: storefrontGlobals(options) }) as Promise<string>;
}

/** Collapses whitespace and strips tags: what a reader of the page sees, roughly. */
export function visibleText(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, " ")
    .trim();
}
