// Small HTML helpers for the demo's own pages (the admin frame, the order simulator, the storefront).

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for HTML content and attribute values. */
export function esc(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** JSON for a <script> element: no "</script>" or "<!--" can end it early. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

export function money(amount: string | number): string {
  return `$${Number(amount).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

export function dateTime(iso: string | Date | null | undefined): string {
  if (!iso) return "—";
  const d = typeof iso === "string" ? new Date(iso) : iso;
  return d.toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) + " UTC";
}

export function date(iso: string | Date | null | undefined): string {
  if (!iso) return "—";
  const d = typeof iso === "string" ? new Date(iso) : iso;
  return d.toLocaleDateString("en-US", { dateStyle: "medium", timeZone: "UTC" });
}

/** Shared look of the demo's admin-side pages: Shopify admin's greys, cards and tables, system fonts. */
export const ADMIN_CSS = `
  *, *::before, *::after { box-sizing: border-box; }
  html, body { margin: 0; height: 100%; }
  body { font: 13px/1.45 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #303030; background: #f1f1f1; }
  a { color: #005bd3; }
  h1 { font-size: 20px; margin: 0 0 16px; font-weight: 700; color: #1a1a1a; }
  h2 { font-size: 14px; margin: 0 0 10px; font-weight: 650; color: #1a1a1a; }
  .card { background: #fff; border-radius: 12px; box-shadow: 0 1px 0 rgba(26,26,26,.07), 0 0 0 1px rgba(26,26,26,.07); padding: 16px; margin-bottom: 16px; }
  .muted { color: #616161; }
  .small { font-size: 12px; }
  table { width: 100%; border-collapse: collapse; }
  th { text-align: left; font-weight: 550; color: #616161; background: #f7f7f7; padding: 8px 10px; border-bottom: 1px solid #e3e3e3; white-space: nowrap; }
  td { padding: 8px 10px; border-bottom: 1px solid #ebebeb; vertical-align: top; }
  tr:last-child td { border-bottom: 0; }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
  .badge { display: inline-block; padding: 1px 8px; border-radius: 8px; background: #e3e3e3; font-size: 12px; font-weight: 550; white-space: nowrap; }
  .badge--success { background: #cdfee1; color: #0c5132; }
  .badge--warning { background: #ffeb78; color: #4f4700; }
  .badge--critical { background: #fedad9; color: #8e1f0b; }
  .badge--info { background: #e0f0ff; color: #00527c; }
  .btn { display: inline-flex; align-items: center; gap: 6px; border: 0; border-radius: 8px; padding: 6px 12px; font: 600 13px/1.3 inherit; font-family: inherit; cursor: pointer; background: #fff; color: #303030; box-shadow: inset 0 -1px 0 #b5b5b5, inset 0 0 0 1px #e3e3e3; text-decoration: none; }
  .btn:hover { background: #f7f7f7; }
  .btn--primary { background: #303030; color: #fff; box-shadow: inset 0 -1px 0 #000, inset 0 1px 0 rgba(255,255,255,.2); }
  .btn--primary:hover { background: #1a1a1a; }
  .btn--critical { background: #c70a24; color: #fff; box-shadow: none; }
  .btn--plain { background: none; box-shadow: none; color: #005bd3; padding: 4px 6px; }
  input[type=text], input[type=number], input:not([type]), select { font: inherit; padding: 6px 10px; border: 1px solid #8a8a8a; border-radius: 8px; background: #fff; min-width: 0; }
  label { font-weight: 550; }
  .banner { border-radius: 12px; padding: 12px 16px; margin-bottom: 16px; background: #e0f0ff; border: 1px solid #a4d5ff; }
  .banner--success { background: #cdfee1; border-color: #8cdab1; }
  .banner--critical { background: #fedad9; border-color: #f5b0ae; }
  code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
`;
