// The admin's own pages in the demo frame: what "Shopify" holds for the demo shop. Orders come from
// the demo's order log; customers, discount codes and metafields straight from the Admin API fake, so
// these pages show what the app wrote to Shopify (welcome and reward codes, the points metafield).
import { DEMO_SHOP } from "../config";
import { discountSummary } from "../shopify/discounts";
import { gid, orderStatus, refundedCents, fromCents, type DemoCustomer, type DemoOrder } from "../shopify/model";
import type { DemoShopify } from "../shopify/shop";
import { date, dateTime, esc, money } from "./html";

const PAGE_SIZE = 50;

function statusBadge(status: string): string {
  const tone = status === "paid" ? "success" : status === "cancelled" ? "critical" : status.includes("refunded") ? "warning" : "info";
  return `<span class="badge badge--${tone}">${esc(status)}</span>`;
}

function customerLabel(shopify: DemoShopify, id: number | null): string {
  if (id === null) return '<span class="muted">Guest</span>';
  const c = shopify.customer(id);
  return c ? `<a href="/demo/admin/customers/${c.id}">${esc(`${c.firstName} ${c.lastName}`)}</a>` : esc(String(id));
}

function pager(base: string, page: number, total: number): string {
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  if (pages === 1) return "";
  const link = (p: number, label: string) => (p < 1 || p > pages ? `<span class="muted">${label}</span>` : `<a href="${base}?page=${p}">${label}</a>`);
  return `<p class="small">${link(page - 1, "← Newer")} · page ${page} of ${pages} · ${link(page + 1, "Older →")}</p>`;
}

export function ordersListContent(shopify: DemoShopify, page: number): string {
  const orders = shopify.recentOrders();
  const shown = orders.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const rows = shown
    .map(
      (o) => `<tr>
        <td><a href="/demo/admin/orders/${o.number}"><strong>#${o.number}</strong></a></td>
        <td>${esc(dateTime(o.processedAt))}</td>
        <td>${customerLabel(shopify, o.customerId)}</td>
        <td class="num">${money(o.total)}</td>
        <td>${o.discountCode ? `<code>${esc(o.discountCode)}</code>` : ""}</td>
        <td>${statusBadge(orderStatus(o))}</td>
        <td class="muted small">${esc(o.source)}</td>
      </tr>`,
    )
    .join("");
  return `<div class="banner">Orders of the demo shop. Placing, refunding or cancelling one sends the app the webhooks Shopify would send: use the <a href="/demo/orders">order simulator</a> or check out on the <a href="/demo/store" target="_blank" rel="noopener">storefront</a>.</div>
  <div class="card" style="padding:0;overflow:hidden">
    <table><thead><tr><th>Order</th><th>Date</th><th>Customer</th><th class="num">Total</th><th>Discount</th><th>Status</th><th>Source</th></tr></thead>
    <tbody>${rows || '<tr><td colspan="7" class="muted">No orders yet.</td></tr>'}</tbody></table>
  </div>${pager("/demo/admin/orders", page, orders.length)}`;
}

export function orderDetailContent(shopify: DemoShopify, order: DemoOrder): string {
  const lines = order.lines.map((l) => `<tr><td>${esc(l.title)}</td><td class="num">${l.quantity} × ${money(l.price)}</td><td class="num">${Number(l.discount) > 0 ? `−${money(l.discount)}` : ""}</td></tr>`).join("");
  const refunds = order.refunds.map((r) => `<li>${esc(dateTime(r.at))}: refunded ${money(r.amount)}</li>`).join("");
  return `<p><a href="/demo/admin/orders">← Orders</a></p>
  <div class="card"><h2>#${order.number} ${statusBadge(orderStatus(order))}</h2>
    <p class="muted small">Order id ${order.id} · ${esc(dateTime(order.processedAt))} · ${customerLabel(shopify, order.customerId)}</p>
    <table><thead><tr><th>Item</th><th class="num">Price</th><th class="num">Discount</th></tr></thead><tbody>${lines}
      ${Number(order.shipping) > 0 ? `<tr><td>Shipping</td><td class="num">${money(order.shipping)}</td><td class="num">${Number(order.shippingDiscount) > 0 ? `−${money(order.shippingDiscount)}` : ""}</td></tr>` : ""}
      <tr><td><strong>Total</strong></td><td class="num"><strong>${money(order.total)}</strong></td><td></td></tr></tbody></table>
    ${order.discountCode ? `<p>Discount code <code>${esc(order.discountCode)}</code></p>` : ""}
    ${refunds ? `<h2 style="margin-top:16px">Refunds (${money(fromCents(refundedCents(order)))})</h2><ul>${refunds}</ul>` : ""}
    ${order.cancelledAt ? `<p>Cancelled ${esc(dateTime(order.cancelledAt))}</p>` : ""}
    ${order.held.length ? `<p class="banner">Held webhooks: ${order.held.map((d) => esc(d.label)).join(", ")} (deliver them from the <a href="/demo/orders">simulator</a>)</p>` : ""}
  </div>`;
}

function pointsOf(shopify: DemoShopify, customer: DemoCustomer): { balance: number; pending: number; updatedAt: string } | null {
  const field = shopify.fake.getMetafield(DEMO_SHOP, gid(customer.id), "$app:loyalty", "points");
  if (!field) return null;
  try {
    return JSON.parse(field.value) as { balance: number; pending: number; updatedAt: string };
  } catch {
    return null;
  }
}

export function customersListContent(shopify: DemoShopify, page: number, q: string): string {
  const query = q.trim().toLowerCase();
  const all = [...shopify.customers()].reverse().filter((c) => !query || `${c.firstName} ${c.lastName} ${c.email} ${c.id}`.toLowerCase().includes(query));
  const shown = all.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const rows = shown
    .map((c) => {
      const points = pointsOf(shopify, c);
      return `<tr>
        <td><a href="/demo/admin/customers/${c.id}"><strong>${esc(`${c.firstName} ${c.lastName}`)}</strong></a><div class="muted small">${esc(c.email)}</div></td>
        <td class="mono">${c.id}</td>
        <td class="num">${c.numberOfOrders}</td>
        <td class="num">${points ? points.balance.toLocaleString("en-US") : '<span class="muted">—</span>'}</td>
        <td><a class="small" href="/demo/store?customer=${c.id}" target="_blank" rel="noopener">Storefront as customer ↗</a></td>
      </tr>`;
    })
    .join("");
  return `<div class="banner">Customers as Shopify knows them (the Admin API fake). <strong>Orders</strong> is Shopify's <code>numberOfOrders</code> (what the app's first-order check reads); <strong>Points</strong> is the <code>$app:loyalty.points</code> metafield the app keeps in sync for the storefront.</div>
  <form class="card" style="display:flex;gap:8px" method="get"><input name="q" value="${esc(q)}" placeholder="Search customers" style="flex:1"><button class="btn">Search</button></form>
  <div class="card" style="padding:0;overflow:hidden">
    <table><thead><tr><th>Customer</th><th>Id</th><th class="num">Orders</th><th class="num">Points (metafield)</th><th></th></tr></thead>
    <tbody>${rows || '<tr><td colspan="5" class="muted">No customers.</td></tr>'}</tbody></table>
  </div>${pager("/demo/admin/customers", page, all.length)}`;
}

export function customerDetailContent(shopify: DemoShopify, customer: DemoCustomer): string {
  const metafields = shopify.fake
    .metafields(DEMO_SHOP)
    .filter((m) => m.ownerId === gid(customer.id))
    .map((m) => `<tr><td class="mono">${esc(m.namespace)}.${esc(m.key)}</td><td class="mono">${esc(m.type)}</td><td class="mono">${esc(m.value)}</td><td>${esc(dateTime(m.updatedAt))}</td></tr>`)
    .join("");
  const discounts = shopify.fake
    .discounts(DEMO_SHOP)
    .filter((d) => d.customers !== "all" && d.customers.includes(gid(customer.id)))
    .map((d) => `<tr><td class="mono">${esc(d.code)}</td><td>${esc(d.title)}</td><td>${esc(discountSummary(d))}</td><td>${esc(date(d.endsAt))}</td></tr>`)
    .join("");
  const orders = shopify
    .recentOrders()
    .filter((o) => o.customerId === customer.id)
    .map((o) => `<tr><td><a href="/demo/admin/orders/${o.number}">#${o.number}</a></td><td>${esc(dateTime(o.processedAt))}</td><td class="num">${money(o.total)}</td><td>${statusBadge(orderStatus(o))}</td></tr>`)
    .join("");
  return `<p><a href="/demo/admin/customers">← Customers</a></p>
  <div class="card"><h2>${esc(`${customer.firstName} ${customer.lastName}`)}</h2>
    <p class="muted">${esc(customer.email)} · gid://shopify/Customer/${customer.id} · ${customer.numberOfOrders} orders in Shopify (${customer.priorOrders} before the app was installed)</p>
    <p><a href="/demo/store?customer=${customer.id}" target="_blank" rel="noopener">Open the storefront as this customer ↗</a> · <a href="/demo/orders?customer=${customer.id}">Place an order for them</a></p></div>
  <div class="card"><h2>Metafields</h2>${metafields ? `<table><thead><tr><th>Key</th><th>Type</th><th>Value</th><th>Updated</th></tr></thead><tbody>${metafields}</tbody></table>` : '<p class="muted">None yet.</p>'}</div>
  <div class="card"><h2>Discount codes for this customer</h2>${discounts ? `<table><thead><tr><th>Code</th><th>Title</th><th>Value</th><th>Ends</th></tr></thead><tbody>${discounts}</tbody></table>` : '<p class="muted">None.</p>'}</div>
  <div class="card"><h2>Orders in the demo</h2>${orders ? `<table><thead><tr><th>Order</th><th>Date</th><th class="num">Total</th><th>Status</th></tr></thead><tbody>${orders}</tbody></table>` : '<p class="muted">None.</p>'}</div>`;
}

export function discountsContent(shopify: DemoShopify, page: number): string {
  const now = Date.now();
  const all = [...shopify.fake.discounts(DEMO_SHOP)].reverse();
  const usedBy = new Map<string, DemoOrder>();
  for (const o of shopify.orders()) if (o.discountCode && !o.cancelledAt) usedBy.set(o.discountCode.toUpperCase(), o);
  const shown = all.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const rows = shown
    .map((d) => {
      const used = usedBy.get(d.code.toUpperCase());
      const status = used ? "used" : d.endsAt && Date.parse(d.endsAt) <= now ? "expired" : Date.parse(d.startsAt) > now ? "scheduled" : "active";
      const tone = status === "active" ? "success" : status === "used" ? "info" : "";
      const owner = d.customers === "all" ? "Everyone" : d.customers.map((g) => customerLabel(shopify, Number(g.split("/").pop()))).join(", ");
      return `<tr>
        <td class="mono"><strong>${esc(d.code)}</strong></td>
        <td>${esc(d.title)}</td>
        <td>${esc(discountSummary(d))}</td>
        <td>${owner}</td>
        <td>${esc(date(d.startsAt))} – ${esc(date(d.endsAt))}</td>
        <td><span class="badge${tone ? ` badge--${tone}` : ""}">${status}</span>${used ? ` <a class="small" href="/demo/admin/orders/${used.number}">#${used.number}</a>` : ""}</td>
      </tr>`;
    })
    .join("");
  return `<div class="banner">Discount codes in Shopify: every one was created by the app through the Admin API (welcome thank-you codes and rewards bought with points): single use, only for their customer.</div>
  <div class="card" style="padding:0;overflow:hidden">
    <table><thead><tr><th>Code</th><th>Title</th><th>Value</th><th>Customer</th><th>Active dates</th><th>Status</th></tr></thead>
    <tbody>${rows || '<tr><td colspan="6" class="muted">No discount codes yet.</td></tr>'}</tbody></table>
  </div>${pager("/demo/admin/discounts", page, all.length)}`;
}

/**
 * The Shopify Flow triggers "Shopify" accepted from the app (flowTriggerReceive on the Admin fake),
 * newest first: what would start the merchant's workflows.
 */
export function flowTriggersContent(shopify: DemoShopify): string {
  const deliveries = shopify.fake.flowTriggerDeliveries(DEMO_SHOP).reverse();
  if (deliveries.length === 0) {
    return `<p>No Flow trigger yet. Place an order (Order simulator) or redeem a reward: the app sends "Loyalty points earned", "Loyalty points balance changed" and "Loyalty reward code issued" for the workflows the demo turned on at start.</p>`;
  }
  const rows = deliveries
    .slice(0, 200)
    .map((d) => `<tr><td>${d.seq}</td><td>${esc(new Date(d.receivedAt).toLocaleString("en-US"))}</td><td>${esc(d.handle)}</td><td><code>${esc(JSON.stringify(d.payload))}</code></td></tr>`)
    .join("");
  return `<p>${deliveries.length} trigger(s) received by Shopify Flow from the app (newest first; the last 200 shown).</p>
<table class="table"><thead><tr><th>#</th><th>Received</th><th>Trigger</th><th>Payload</th></tr></thead><tbody>${rows}</tbody></table>`;
}
