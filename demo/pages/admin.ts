// GET /demo/admin: a simplified Shopify admin around the embedded app. The app runs in the iframe at
// /app?embedded=1&shop=…&host=…&id_token=… exactly as Shopify admin loads it; its App Bridge nav menu,
// title bar, save bar, toasts and loading state are drawn here, outside the iframe (messages from the
// App Bridge stand-in, demo/app-bridge.ts). The admin's own Orders / Customers / Discounts pages show
// "Shopify's side" of the demo shop: the orders placed, the Admin API fake's customers, and the
// discount codes and metafields the app created through it.
import { APP_NAME, DEMO_SHOP, DEMO_SHOP_NAME } from "../config";
import { ADMIN_CSS, esc, scriptJson } from "./html";

export interface NavItem {
  label: string;
  href: string;
}

export type AdminSection = "app" | "orders" | "customers" | "discounts" | "flow";

export interface AdminFrameOptions {
  section: AdminSection;
  /** The app's pages for the nav before the app announces its NavMenu (and on the admin's own pages). */
  appNav: NavItem[];
  /** Either the embedded app... */
  iframeSrc?: string;
  /** The app path shown (for the nav highlight), e.g. /app/customers. */
  appPath?: string;
  /** ...or one of the admin's own pages. */
  title?: string;
  content?: string;
}

const ICONS = {
  orders: '<path d="M3 5.5A2.5 2.5 0 0 1 5.5 3h9A2.5 2.5 0 0 1 17 5.5v9a2.5 2.5 0 0 1-2.5 2.5h-9A2.5 2.5 0 0 1 3 14.5zm2 2.5v1.5h10V8zm0 3.5V13h6v-1.5z"/>',
  customers: '<path d="M10 3a3.5 3.5 0 1 1 0 7 3.5 3.5 0 0 1 0-7m-6 13c0-3 2.7-4.5 6-4.5s6 1.5 6 4.5v1H4z"/>',
  discounts: '<path d="M3 4.5A1.5 1.5 0 0 1 4.5 3h5.4l7.1 7.1-6.9 6.9L3 9.9zm4 1.5a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3"/>',
  store: '<path d="M4 4h12l1 4a2.5 2.5 0 0 1-4.5 1.5 2.5 2.5 0 0 1-5 0A2.5 2.5 0 0 1 3 8zm1 7.5V16h10v-4.5a3.9 3.9 0 0 1-2.5-.6 3.9 3.9 0 0 1-5 0 3.9 3.9 0 0 1-2.5.6"/>',
  apps: '<path d="M4 4h5v5H4zm7 0h5v5h-5zM4 11h5v5H4zm7 0h5v5h-5z"/>',
  simulator: '<path d="M5 3h10v2H5zm-1 4h12l-1 10H5zm4 3v4h4v-4z"/>',
};
const icon = (name: keyof typeof ICONS) => `<svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true" fill="currentColor">${ICONS[name]}</svg>`;

export function adminFramePage(options: AdminFrameOptions): string {
  const adminLink = (section: AdminSection, label: string, href: string, iconName: keyof typeof ICONS) =>
    `<a class="nav__item${options.section === section ? " nav__item--active" : ""}" href="${href}">${icon(iconName)}<span>${esc(label)}</span></a>`;
  const appNav = options.appNav.map((item) => `<a class="nav__sub" data-app-href="${esc(item.href)}" href="/demo/admin?path=${encodeURIComponent(item.href)}">${esc(item.label)}</a>`).join("");
  const main = options.iframeSrc
    ? `<div class="appbar" id="appbar">
         <a class="appbar__app" href="/demo/admin" id="app-home">${appIcon()}<span>${esc(APP_NAME)}</span></a>
         <span class="appbar__sep" id="appbar-sep" hidden>›</span>
         <span class="appbar__crumb" id="appbar-breadcrumb" hidden></span>
         <span class="appbar__sep" id="appbar-sep2" hidden>›</span>
         <h1 class="appbar__title" id="appbar-title"></h1>
         <span class="appbar__spacer"></span>
         <span class="appbar__buttons" id="appbar-buttons"></span>
       </div>
       <div class="loading" id="loading" hidden><span></span></div>
       <iframe id="app-iframe" name="app-iframe" title="${esc(APP_NAME)}" src="${esc(options.iframeSrc)}"></iframe>`
    : `<div class="page"><h1>${esc(options.title ?? "")}</h1>${options.content ?? ""}</div>`;
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${esc(options.title ?? APP_NAME)} · ${esc(DEMO_SHOP_NAME)} · Demo admin</title>
  <style>${ADMIN_CSS}${FRAME_CSS}</style>
</head>
<body>
  <header class="topbar">
    <a class="topbar__logo" href="/demo/admin">${bagIcon()}<span>demo admin</span></a>
    <div class="topbar__search" role="search"><svg viewBox="0 0 20 20" width="16" height="16" fill="currentColor" aria-hidden="true"><path d="M8.5 3a5.5 5.5 0 0 1 4.4 8.8l3.6 3.7-1 1-3.7-3.6A5.5 5.5 0 1 1 8.5 3m0 1.5a4 4 0 1 0 0 8 4 4 0 0 0 0-8"/></svg><span>Search</span><kbd>CTRL K</kbd></div>
    <div class="topbar__right">
      <a class="topbar__link" href="/demo/orders">Order simulator</a>
      <a class="topbar__link" href="/demo/store" target="_blank" rel="noopener">View store ↗</a>
      <span class="topbar__shop"><span class="avatar">DS</span>${esc(DEMO_SHOP_NAME)}</span>
    </div>
    <div class="savebar" id="savebar" hidden>
      <span class="savebar__text">${bagIcon()} Unsaved changes</span>
      <button type="button" class="savebar__btn" id="savebar-discard">Discard</button>
      <button type="button" class="savebar__btn savebar__btn--primary" id="savebar-save">Save</button>
    </div>
  </header>
  <div class="shell">
    <nav class="nav" aria-label="Admin">
      ${adminLink("orders", "Orders", "/demo/admin/orders", "orders")}
      ${adminLink("customers", "Customers", "/demo/admin/customers", "customers")}
      ${adminLink("discounts", "Discounts", "/demo/admin/discounts", "discounts")}
      <div class="nav__heading">Sales channels</div>
      <a class="nav__item" href="/demo/store" target="_blank" rel="noopener">${icon("store")}<span>Online Store</span><span class="nav__ext">↗</span></a>
      <div class="nav__heading">Apps</div>
      <a class="nav__item${options.section === "app" ? " nav__item--active" : ""}" id="nav-app" href="/demo/admin">${appIcon(18)}<span>${esc(APP_NAME)}</span></a>
      <div class="nav__subs" id="nav-app-subs">${appNav}</div>
      <div class="nav__heading">Demo tools</div>
      <a class="nav__item" href="/demo/orders">${icon("simulator")}<span>Order simulator</span></a>
      ${adminLink("flow", "Flow triggers received", "/demo/admin/flow", "simulator")}
      <div class="nav__foot">${esc(DEMO_SHOP)}<br>Everything here is local: no Shopify account, no network.</div>
    </nav>
    <main class="main">${main}</main>
  </div>
  <div class="toasts" id="toasts" aria-live="polite"></div>
  <script>window.__demoAdmin = ${scriptJson({ appPath: options.appPath ?? null, embedded: Boolean(options.iframeSrc) })};</script>
  <script>${FRAME_SCRIPT}</script>
</body>
</html>`;
}

function bagIcon(): string {
  return '<svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true"><path fill="#95bf47" d="M14.6 4.3c0-.1-.1-.1-.2-.1l-1.6-.1-1.2-1.2c-.1-.1-.3-.1-.4 0l-.6.2C10.3 2.4 9.9 2 9.3 2 8 2 7.4 3.6 7.2 4.4l-1.4.4c-.4.1-.4.1-.5.5L4 15.7l8.3 1.6 4.5-1z"/><path fill="#fff" d="M10.2 7.3 9.7 8.9s-.5-.3-1.2-.2c-1 .1-1 .7-1 .8.1.9 2.3 1.1 2.4 3.1.1 1.6-.9 2.7-2.2 2.8-1.6.1-2.5-.9-2.5-.9l.3-1.4s.9.7 1.6.6c.5 0 .6-.4.6-.7-.1-1.1-1.9-1-2-2.9-.1-1.5.9-3.1 3.1-3.2.8-.1 1.3.1 1.3.1"/></svg>';
}

function appIcon(size = 20): string {
  return `<svg viewBox="0 0 20 20" width="${size}" height="${size}" aria-hidden="true"><rect width="20" height="20" rx="5" fill="#1F4E79"/><path fill="#fff" d="m10 4 1.8 3.7 4 .6-2.9 2.8.7 4L10 13.2l-3.6 1.9.7-4-2.9-2.8 4-.6z"/></svg>`;
}

const FRAME_CSS = `
  body { overflow: hidden; }
  .topbar { position: relative; height: 56px; background: #1a1a1a; color: #e3e3e3; display: flex; align-items: center; gap: 16px; padding: 0 16px; }
  .topbar__logo { display: flex; align-items: center; gap: 8px; color: #fff; font-weight: 700; font-size: 15px; text-decoration: none; width: 224px; letter-spacing: -.01em; }
  .topbar__search { flex: 1; max-width: 560px; margin: 0 auto; display: flex; align-items: center; gap: 8px; height: 34px; padding: 0 12px; border-radius: 10px; background: #303030; color: #b5b5b5; box-shadow: inset 0 0 0 1px #4a4a4a; }
  .topbar__search span { flex: 1; }
  .topbar__search kbd { font: 11px system-ui, sans-serif; color: #8a8a8a; background: #3a3a3a; border-radius: 6px; padding: 2px 6px; }
  .topbar__right { display: flex; align-items: center; gap: 14px; }
  .topbar__link { color: #e3e3e3; text-decoration: none; font-weight: 550; padding: 6px 8px; border-radius: 8px; }
  .topbar__link:hover { background: #303030; }
  .topbar__shop { display: flex; align-items: center; gap: 8px; color: #fff; font-weight: 550; }
  .avatar { display: inline-grid; place-items: center; width: 28px; height: 28px; border-radius: 8px; background: #36fba1; color: #0c5132; font-weight: 700; font-size: 12px; }
  .savebar { position: absolute; inset: 0; background: #1a1a1a; display: flex; align-items: center; gap: 10px; padding: 0 16px; z-index: 5; }
  .savebar[hidden] { display: none; }
  .savebar__text { flex: 1; display: flex; align-items: center; gap: 10px; color: #fff; font-weight: 650; font-size: 14px; }
  .savebar__btn { border: 0; border-radius: 8px; padding: 7px 14px; font: 600 13px system-ui, sans-serif; background: #3a3a3a; color: #fff; cursor: pointer; }
  .savebar__btn--primary { background: #fff; color: #1a1a1a; }
  .savebar__btn:disabled { opacity: .5; cursor: default; }
  .shell { display: flex; height: calc(100vh - 56px); }
  .nav { width: 240px; flex: none; background: #ebebeb; padding: 12px 8px; display: flex; flex-direction: column; gap: 2px; overflow: auto; }
  .nav__item { display: flex; align-items: center; gap: 8px; padding: 6px 8px; border-radius: 8px; color: #303030; text-decoration: none; font-weight: 650; }
  .nav__item svg { color: #4a4a4a; flex: none; }
  .nav__item:hover { background: #f7f7f7; }
  .nav__item--active { background: #fafafa; color: #1a1a1a; }
  .nav__ext { margin-left: auto; color: #8a8a8a; font-weight: 400; }
  .nav__heading { margin: 14px 8px 4px; font-size: 12px; font-weight: 650; color: #616161; }
  .nav__subs { display: flex; flex-direction: column; gap: 1px; margin-bottom: 4px; }
  .nav__sub { padding: 5px 8px 5px 34px; border-radius: 8px; color: #4a4a4a; text-decoration: none; font-weight: 550; }
  .nav__sub:hover { background: #f7f7f7; }
  .nav__sub--active { background: #fafafa; color: #1a1a1a; font-weight: 650; }
  .nav__foot { margin-top: auto; padding: 12px 8px 4px; font-size: 11px; color: #8a8a8a; }
  .main { flex: 1; min-width: 0; display: flex; flex-direction: column; background: #f1f1f1; }
  .appbar { height: 48px; flex: none; display: flex; align-items: center; gap: 8px; padding: 0 16px; background: #f1f1f1; border-bottom: 1px solid #e3e3e3; }
  .appbar__app { display: flex; align-items: center; gap: 8px; color: #303030; text-decoration: none; font-weight: 650; }
  .appbar__crumb { cursor: pointer; color: #616161; font-weight: 550; }
  .appbar__sep { color: #8a8a8a; }
  .appbar__title { font-size: 14px; margin: 0; font-weight: 650; }
  .appbar__spacer { flex: 1; }
  .appbar__buttons { display: flex; gap: 8px; }
  .loading { height: 3px; flex: none; background: #e3e3e3; overflow: hidden; }
  .loading span { display: block; width: 40%; height: 100%; background: #1F4E79; animation: slide 1s infinite ease-in-out; }
  @keyframes slide { from { transform: translateX(-100%); } to { transform: translateX(250%); } }
  iframe { flex: 1; width: 100%; border: 0; background: #f1f1f1; }
  .page { padding: 20px 24px; overflow: auto; height: 100%; max-width: 1200px; }
  .toasts { position: fixed; left: 0; right: 0; bottom: 24px; display: flex; flex-direction: column; align-items: center; gap: 8px; z-index: 20; pointer-events: none; }
  .toast { pointer-events: auto; background: #1a1a1a; color: #fff; padding: 10px 16px; border-radius: 10px; font-weight: 550; box-shadow: 0 8px 24px rgba(0,0,0,.25); }
  .toast--error { background: #8e1f0b; }
`;

// The frame's half of the App Bridge conversation (messages from demo/app-bridge.ts).
const FRAME_SCRIPT = `(() => {
  const state = window.__demoAdmin;
  const iframe = document.getElementById('app-iframe');
  const $ = (id) => document.getElementById(id);
  const send = (message) => iframe && iframe.contentWindow && iframe.contentWindow.postMessage(Object.assign({ source: 'demo-admin' }, message), location.origin);
  const subs = $('nav-app-subs');
  let appPath = state.appPath;
  let homeHref = '/app';

  const highlight = () => {
    const path = (appPath || '').split('?')[0];
    let best = null;
    for (const a of subs.querySelectorAll('a')) {
      const href = a.getAttribute('data-app-href');
      a.classList.remove('nav__sub--active');
      if (href && href !== '/app' && (path === href || path.startsWith(href + '/')) && (!best || href.length > best.getAttribute('data-app-href').length)) best = a;
    }
    if (best) best.classList.add('nav__sub--active');
    $('nav-app').classList.toggle('nav__item--active', state.embedded && !best);
  };
  // The app's nav menu as it last announced it (its own order and labels), also on the admin's pages.
  const renderNav = (items) => {
    const home = items.find((i) => i.home);
    if (home) homeHref = home.href;
    subs.textContent = '';
    for (const item of items.filter((i) => !i.home)) {
      const a = document.createElement('a');
      a.className = 'nav__sub';
      a.textContent = item.label;
      a.setAttribute('data-app-href', item.href);
      a.href = '/demo/admin?path=' + encodeURIComponent(item.href);
      subs.appendChild(a);
    }
    highlight();
  };
  try {
    const saved = JSON.parse(localStorage.getItem('demo-admin-nav') || 'null');
    if (Array.isArray(saved) && saved.length) renderNav(saved);
  } catch (e) { /* nothing saved */ }
  highlight();

  const go = (href) => {
    if (!state.embedded) { location.href = '/demo/admin?path=' + encodeURIComponent(href); return; }
    send({ type: 'navigate', href: href });
  };
  document.addEventListener('click', (event) => {
    const a = event.target.closest && event.target.closest('[data-app-href]');
    if (a && state.embedded) { event.preventDefault(); go(a.getAttribute('data-app-href')); }
  });
  if (state.embedded) {
    $('app-home').addEventListener('click', (e) => { e.preventDefault(); go(homeHref); });
    $('nav-app').addEventListener('click', (e) => { e.preventDefault(); go(homeHref); });
  }

  const toast = (message, isError, duration) => {
    const el = document.createElement('div');
    el.className = 'toast' + (isError ? ' toast--error' : '');
    el.setAttribute('role', 'status');
    el.textContent = message;
    $('toasts').appendChild(el);
    setTimeout(() => el.remove(), Math.max(2000, duration || 5000));
    return el;
  };
  const toastEls = {};

  window.addEventListener('message', (event) => {
    if (!iframe || event.source !== iframe.contentWindow || event.origin !== location.origin) return;
    const data = event.data || {};
    if (data.source !== 'demo-app-bridge') return;
    if (data.type === 'chrome') {
      const items = Array.isArray(data.nav) ? data.nav : [];
      if (items.length) {
        renderNav(items);
        try { localStorage.setItem('demo-admin-nav', JSON.stringify(items)); } catch (e) { /* private mode */ }
      }
      $('appbar-title').textContent = data.title || '';
      const crumb = $('appbar-breadcrumb');
      crumb.hidden = !data.breadcrumb;
      crumb.textContent = data.breadcrumb ? data.breadcrumb.label : '';
      crumb.onclick = () => send({ type: 'breadcrumb' });
      $('appbar-sep').hidden = !data.breadcrumb && !data.title;
      $('appbar-sep2').hidden = !(data.breadcrumb && data.title);
      const buttons = $('appbar-buttons');
      buttons.textContent = '';
      (data.buttons || []).forEach((b, index) => {
        const el = document.createElement('button');
        el.type = 'button';
        el.className = 'btn' + (b.primary ? ' btn--primary' : '') + (b.critical ? ' btn--critical' : '');
        el.textContent = b.label;
        el.disabled = Boolean(b.disabled);
        el.addEventListener('click', () => send({ type: 'titlebar-action', index: index }));
        buttons.appendChild(el);
      });
    }
    if (data.type === 'location') {
      appPath = data.path;
      highlight();
      const url = new URL(location.href);
      url.searchParams.set('path', data.path);
      history.replaceState(null, '', url.pathname + '?' + url.searchParams.toString());
    }
    if (data.type === 'toast') toastEls[data.id] = toast(data.message, data.isError, data.duration);
    if (data.type === 'toast-hide' && toastEls[data.id]) toastEls[data.id].remove();
    if (data.type === 'loading') $('loading').hidden = !data.on;
    if (data.type === 'savebar') {
      $('savebar').hidden = !data.open;
      if (data.open) {
        $('savebar-save').textContent = data.saveLabel || 'Save';
        $('savebar-discard').textContent = data.discardLabel || 'Discard';
        $('savebar-save').disabled = Boolean(data.saveDisabled || data.loading);
      }
    }
    if (data.type === 'admin-link') {
      const m = /^\\/(orders|customers|discounts)(?:\\/(\\d+))?/.exec(data.path || '');
      location.href = m ? '/demo/admin/' + m[1] + (m[2] ? '/' + m[2] : '') : '/demo/admin/orders';
    }
  });
  if (iframe) {
    iframe.addEventListener('load', () => send({ type: 'hello' }));
    $('savebar-save').addEventListener('click', () => send({ type: 'savebar-action', action: 'save' }));
    $('savebar-discard').addEventListener('click', () => send({ type: 'savebar-action', action: 'discard' }));
  }
})();`;
