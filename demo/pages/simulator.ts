// GET /demo/orders: the order simulator. Plain HTML forms; every button changes the demo shop's state
// like Shopify would and delivers the resulting webhooks to the app, signed (demo/webhooks.ts).
import { APP_NAME } from "../config";
import { orderStatus, refundableCents, fromCents } from "../shopify/model";
import type { DemoShopify } from "../shopify/shop";
import type { DeliveryResult } from "../webhooks";
import { describeResult } from "../webhooks";
import { ADMIN_CSS, dateTime, esc, money } from "./html";

export interface SimulatorResult {
  ok: boolean;
  message: string;
  deliveries: DeliveryResult[];
}

export interface SimulatorPageOptions {
  shopify: DemoShopify;
  result: SimulatorResult | null;
  log: DeliveryResult[];
  selectedCustomer: string | null;
  selectedOrder: number | null;
}

function resultRows(results: DeliveryResult[]): string {
  return results
    .map((r) => {
      const ok = r.status === 200;
      const body = typeof r.body === "string" ? r.body : JSON.stringify(r.body);
      return `<tr>
        <td>${esc(r.label)}${r.attempt > 1 ? ` <span class="badge badge--warning">redelivery</span>` : ""}</td>
        <td class="mono small">${esc(r.webhookId.slice(0, 8))}…</td>
        <td><span class="badge ${ok ? "badge--success" : "badge--critical"}">${esc(describeResult(r))}</span></td>
        <td class="mono small" style="max-width:420px;overflow-wrap:anywhere">${esc(body.slice(0, 300))}</td>
        <td class="num small" style="white-space:nowrap">${r.ms} ms</td>
      </tr>`;
    })
    .join("");
}

export function simulatorPage(options: SimulatorPageOptions): string {
  const { shopify, result } = options;
  const customers = [...shopify.customers()].reverse();
  const customerOptions = customers
    .map(
      (c) =>
        `<option value="${c.id}"${options.selectedCustomer === String(c.id) ? " selected" : ""}>${esc(`${c.firstName} ${c.lastName}`)} (${c.id}) · ${c.numberOfOrders} order${c.numberOfOrders === 1 ? "" : "s"}</option>`,
    )
    .join("");
  const recent = shopify.recentOrders().slice(0, 40);
  const orderOptions = recent
    .map((o) => {
      const c = o.customerId === null ? null : shopify.customer(o.customerId);
      return `<option value="${o.number}"${options.selectedOrder === o.number ? " selected" : ""}>#${o.number} · ${esc(c ? `${c.firstName} ${c.lastName}` : "Guest")} · ${money(o.total)} · ${esc(orderStatus(o))}</option>`;
    })
    .join("");
  const orderRows = recent
    .slice(0, 15)
    .map((o) => {
      const c = o.customerId === null ? null : shopify.customer(o.customerId);
      return `<tr>
        <td><a href="/demo/admin/orders/${o.number}" target="_top">#${o.number}</a></td>
        <td>${esc(dateTime(o.processedAt))}</td>
        <td>${c ? `${esc(`${c.firstName} ${c.lastName}`)} <span class="muted">(${c.id})</span>` : '<span class="muted">Guest</span>'}</td>
        <td class="num">${money(o.total)}</td>
        <td>${o.discountCode ? `<code>${esc(o.discountCode)}</code>` : ""}</td>
        <td>${esc(orderStatus(o))}${o.held.length ? ` <span class="badge badge--warning">${o.held.length} held</span>` : ""}</td>
        <td class="num">${money(fromCents(refundableCents(o)))}</td>
      </tr>`;
    })
    .join("");
  const banner = result
    ? `<div class="banner ${result.ok ? "banner--success" : "banner--critical"}" role="status" id="result"><strong>${esc(result.message)}</strong>
        ${result.deliveries.length ? `<table style="margin-top:8px"><thead><tr><th>Webhook</th><th>Id</th><th>App answered</th><th>Body</th><th class="num">Time</th></tr></thead><tbody>${resultRows(result.deliveries)}</tbody></table>` : ""}
      </div>`
    : "";
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Order simulator · Demo</title>
  <style>${ADMIN_CSS}
    body { padding: 0 0 40px; }
    .bar { background: #1a1a1a; color: #fff; padding: 12px 24px; display: flex; gap: 18px; align-items: center; }
    .bar strong { font-size: 15px; flex: 1; }
    .bar a { color: #e3e3e3; font-weight: 550; text-decoration: none; }
    .wrap { max-width: 1100px; margin: 0 auto; padding: 20px 24px; }
    .grid { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
    .field { display: flex; flex-direction: column; gap: 4px; margin-bottom: 12px; }
    .checks { display: flex; flex-direction: column; gap: 6px; margin: 4px 0 14px; }
    .checks label { font-weight: 400; }
    .actions { display: flex; gap: 8px; flex-wrap: wrap; }
    @media (max-width: 800px) { .grid { grid-template-columns: 1fr; } }
  </style>
</head>
<body>
  <div class="bar"><strong>Order simulator</strong><a href="/demo/admin">Admin (${esc(APP_NAME)})</a><a href="/demo/store">Storefront</a><a href="/demo/admin/orders">Orders</a></div>
  <div class="wrap">
    <p class="muted">Acts as Shopify: each button changes the demo shop and delivers the webhooks Shopify would send to the app, signed with the app's secret (<code>X-Shopify-Hmac-Sha256</code>). The same from a terminal: <code>npx tsx demo/simulate.ts place --customer 1001 --amount 45.00</code>.</p>
    ${banner}
    <div class="grid">
      <form class="card" method="post" action="/demo/orders/place">
        <h2>Place and pay an order</h2>
        <div class="field"><label for="customer">Customer</label>
          <select id="customer" name="customer">
            <option value="new"${options.selectedCustomer === "new" || options.selectedCustomer === null ? " selected" : ""}>New customer (first order ever)</option>
            <option value="guest"${options.selectedCustomer === "guest" ? " selected" : ""}>Guest checkout (no account)</option>
            <optgroup label="Customers (newest first)">${customerOptions}</optgroup>
          </select></div>
        <div class="field"><label for="amount">Amount (USD, merchandise)</label><input id="amount" name="amount" value="45.00" inputmode="decimal" required></div>
        <div class="field"><label for="code">Discount code (optional)</label><input id="code" name="code" placeholder="WELCOME-… or REWARD-…" autocomplete="off"></div>
        <div class="checks">
          <label><input type="checkbox" name="duplicate" value="1"> Deliver twice (same webhook id: Shopify retries)</label>
          <label><input type="checkbox" name="hold" value="1"> Deliver out of order (hold orders/paid until the next event for this order)</label>
        </div>
        <div class="actions"><button class="btn btn--primary" type="submit">Place + pay</button></div>
      </form>
      <form class="card" method="post" action="/demo/orders/update">
        <h2>Refund or cancel an order</h2>
        <div class="field"><label for="order">Order</label>
          <select id="order" name="order">${orderOptions || '<option value="">No orders yet</option>'}</select></div>
        <div class="field"><label for="refund-amount">Refund amount (partial or full)</label><input id="refund-amount" name="amount" value="10.00" inputmode="decimal"></div>
        <div class="checks">
          <label><input type="checkbox" name="duplicate" value="1"> Deliver twice (same webhook id)</label>
          <label><input type="checkbox" name="hold" value="1"> Deliver out of order (hold this webhook until the next event for the order)</label>
        </div>
        <div class="actions">
          <button class="btn btn--primary" type="submit" name="action" value="refund">Refund</button>
          <button class="btn btn--critical" type="submit" name="action" value="cancel">Cancel order</button>
          <button class="btn" type="submit" name="action" value="release">Deliver held webhooks</button>
        </div>
      </form>
    </div>
    <div class="card" style="padding:0;overflow:hidden"><table>
      <thead><tr><th>Order</th><th>Date</th><th>Customer</th><th class="num">Total</th><th>Code</th><th>Status</th><th class="num">Refundable</th></tr></thead>
      <tbody>${orderRows || '<tr><td colspan="7" class="muted">No orders yet.</td></tr>'}</tbody></table></div>
    <div class="card"><h2>Recent deliveries</h2>
      ${options.log.length ? `<table><thead><tr><th>Webhook</th><th>Id</th><th>App answered</th><th>Body</th><th class="num">Time</th></tr></thead><tbody>${resultRows([...options.log].reverse().slice(0, 20))}</tbody></table>` : '<p class="muted">Nothing delivered since the demo started.</p>'}
    </div>
  </div>
</body>
</html>`;
}
