// A local stand-in for https://cdn.shopify.com/shopifycloud/app-bridge.js (unreachable offline), served
// at /demo/app-bridge.js; the demo layer rewrites the app's script tag to it. It does what the app relies
// on App Bridge for, the way App Bridge does it:
//   - `shopify.idToken()`: a fresh session token (from the demo layer's /demo/session-token, signed
//     with the app's secret like Shopify admin's), and `Authorization: Bearer` on same-origin fetches,
//     retried once when the app answers X-Shopify-Retry-Invalid-Session-Request;
//   - the bounce page (`?shopify-reload=`): reloads the target with a fresh `id_token`;
//   - toast, loading, saveBar (+ `<form data-save-bar>`), modal, and the ui-nav-menu / ui-title-bar /
//     ui-save-bar / ui-modal elements. Inside the admin frame (/demo/admin) the nav menu, title bar,
//     save bar, toasts and loading bar are drawn by the frame, outside the iframe, as in Shopify admin;
//     they talk with postMessage. Opened on its own, the app draws toasts and the save bar itself.
//   - `shopify://admin/...` links open the frame's page for that resource; `shopify:navigate` events
//     (what the app's AppProvider listens to) carry the frame's nav clicks into the app's router.
import { DEMO_SHOP } from "./config";

export function appBridgeStandInScript(options: { apiKey: string; shop?: string }): string {
  const config = JSON.stringify({ apiKey: options.apiKey, shop: options.shop ?? DEMO_SHOP });
  return `/* Demo stand-in for Shopify App Bridge (see demo/app-bridge.ts). */
(() => {
  if (window.shopify && window.shopify.__demo) return;
  const CONFIG = ${config};
  const script = document.currentScript;
  const params = new URLSearchParams(location.search);
  const apiKey = (script && script.getAttribute('data-api-key')) || CONFIG.apiKey;
  const shop = params.get('shop') || CONFIG.shop;
  const framed = window.parent !== window;
  const post = (message) => {
    if (framed) window.parent.postMessage(Object.assign({ source: 'demo-app-bridge' }, message), location.origin);
  };

  // ---------------------------------------------------------------- session tokens
  const originalFetch = window.fetch.bind(window);
  let cached = null;
  let inFlight = null;
  const idToken = () => {
    if (cached && cached.expiresAt * 1000 - Date.now() > 15000) return Promise.resolve(cached.token);
    if (!inFlight) {
      inFlight = originalFetch('/demo/session-token?shop=' + encodeURIComponent(shop), { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
        .then((r) => { if (!r.ok) throw new Error('session token: HTTP ' + r.status); return r.json(); })
        .then((data) => { cached = data; return data.token; })
        .finally(() => { inFlight = null; });
    }
    return inFlight;
  };

  // The bounce page: Shopify's library asks App Bridge to reload the page with a fresh id_token.
  const reload = params.get('shopify-reload');
  if (reload) {
    const target = new URL(reload, location.href);
    if (target.origin === location.origin) {
      idToken().then((token) => { target.searchParams.set('id_token', token); location.replace(target.href); });
    }
  }

  window.fetch = async (input, init) => {
    const isRequest = typeof Request !== 'undefined' && input instanceof Request;
    const url = new URL(isRequest ? input.url : String(input), location.href);
    if (url.origin !== location.origin || url.pathname.startsWith('/demo/')) return originalFetch(input, init);
    const base = new Headers((init && init.headers) || (isRequest ? input.headers : undefined));
    if (base.has('Authorization')) return originalFetch(input, init);
    const spare = isRequest ? input.clone() : null;
    const send = async (target) => {
      const headers = new Headers(base);
      headers.set('Authorization', 'Bearer ' + (await idToken()));
      return originalFetch(target, Object.assign({}, init || {}, { headers }));
    };
    let response = await send(input);
    if (response.status === 401 && response.headers.get('X-Shopify-Retry-Invalid-Session-Request') === '1') {
      cached = null;
      response = await send(spare || input);
    }
    return response;
  };

  // ---------------------------------------------------------------- toasts, loading
  const toasts = [];
  let toastSeq = 0;
  const localLayer = () => {
    let layer = document.getElementById('demo-ab-layer');
    if (!layer) {
      layer = document.createElement('div');
      layer.id = 'demo-ab-layer';
      document.body.appendChild(layer);
    }
    return layer;
  };
  const toast = {
    show(message, opts) {
      opts = opts || {};
      const id = 'toast-' + (++toastSeq);
      toasts.push(Object.assign({ id: id, message: String(message) }, opts));
      if (framed) {
        post({ type: 'toast', id: id, message: String(message), isError: Boolean(opts.isError), duration: Number(opts.duration) || 5000 });
      } else {
        const el = document.createElement('div');
        el.className = 'demo-ab-toast' + (opts.isError ? ' demo-ab-toast--error' : '');
        el.setAttribute('role', 'status');
        el.textContent = String(message);
        localLayer().appendChild(el);
        setTimeout(() => el.remove(), Number(opts.duration) || 5000);
      }
      return id;
    },
    hide(id) { post({ type: 'toast-hide', id: id }); },
  };

  // ---------------------------------------------------------------- save bar
  let dirtyForm = null;
  const saveBarState = () => {
    const bar = [...document.querySelectorAll('ui-save-bar')].find((el) => el.showing);
    if (bar) {
      const buttons = [...bar.querySelectorAll('button')];
      const save = buttons.find((b) => b.getAttribute('variant') === 'primary');
      const discard = buttons.find((b) => b !== save);
      return { open: true, saveLabel: (save && save.textContent.trim()) || 'Save', discardLabel: (discard && discard.textContent.trim()) || 'Discard',
        saveDisabled: Boolean(save && (save.disabled || save.hasAttribute('disabled'))), loading: Boolean(save && save.hasAttribute('loading')) };
    }
    if (dirtyForm && dirtyForm.isConnected) return { open: true, saveLabel: 'Save', discardLabel: 'Discard', saveDisabled: false, loading: false };
    return { open: false };
  };
  const announceSaveBar = () => {
    const state = saveBarState();
    if (framed) { post(Object.assign({ type: 'savebar' }, state)); return; }
    let el = document.getElementById('demo-ab-savebar');
    if (!state.open) { if (el) el.remove(); return; }
    if (!el) {
      el = document.createElement('div');
      el.id = 'demo-ab-savebar';
      el.innerHTML = '<span>Unsaved changes</span><button type="button" data-action="discard"></button><button type="button" data-action="save"></button>';
      el.addEventListener('click', (e) => { const a = e.target.getAttribute && e.target.getAttribute('data-action'); if (a) saveBarAction(a); });
      localLayer().appendChild(el);
    }
    el.querySelector('[data-action=save]').textContent = state.saveLabel;
    el.querySelector('[data-action=discard]').textContent = state.discardLabel;
  };
  const saveBarAction = (action) => {
    const bar = [...document.querySelectorAll('ui-save-bar')].find((el) => el.showing);
    if (bar) {
      const buttons = [...bar.querySelectorAll('button')];
      const save = buttons.find((b) => b.getAttribute('variant') === 'primary');
      const discard = buttons.find((b) => b !== save);
      const target = action === 'save' ? save : discard;
      if (target) target.click();
      return;
    }
    if (dirtyForm && dirtyForm.isConnected) {
      const form = dirtyForm;
      if (action === 'save') form.requestSubmit(); else form.reset();
    }
  };
  const markDirty = (event) => {
    const form = event.target && event.target.closest && event.target.closest('form[data-save-bar]');
    if (form && dirtyForm !== form) { dirtyForm = form; announceSaveBar(); }
  };
  document.addEventListener('input', markDirty, true);
  document.addEventListener('change', markDirty, true);
  const clearDirty = (event) => {
    if (dirtyForm && event.target === dirtyForm) { dirtyForm = null; setTimeout(announceSaveBar, 0); }
  };
  document.addEventListener('submit', clearDirty, true);
  document.addEventListener('reset', clearDirty, true);

  const byId = (id) => (id ? document.getElementById(id) : null);
  const saveBar = {
    show: async (id) => { const el = byId(id); if (el && el.show) await el.show(); },
    hide: async (id) => { const el = byId(id); if (el && el.hide) await el.hide(); },
    toggle: async (id) => { const el = byId(id); if (el && el.toggle) await el.toggle(); },
    leaveConfirmation: async () => {},
  };

  // ---------------------------------------------------------------- modal
  const modal = {
    show: async (id) => { const el = byId(id); if (el && el.show) await el.show(); },
    hide: async (id) => { const el = byId(id); if (el && el.hide) await el.hide(); },
    toggle: async (id) => { const el = byId(id); if (el && el.toggle) await el.toggle(); },
  };

  const notAvailable = (name) => async () => { toast.show(name + ' is not available in the offline demo', { isError: true }); return undefined; };

  window.shopify = {
    __demo: true,
    config: { apiKey: apiKey, shop: shop, host: params.get('host') || '', locale: params.get('locale') || 'en' },
    origin: location.origin,
    environment: { embedded: framed, mobile: false, pos: false },
    idToken: idToken,
    user: async () => ({ id: 70001, name: 'Demo Merchant', accountAccess: 'Account owner' }),
    toast: toast,
    loading: (on) => post({ type: 'loading', on: on !== false }),
    saveBar: saveBar,
    modal: modal,
    resourcePicker: notAvailable('The resource picker'),
    scanner: { capture: notAvailable('The scanner') },
    intents: { invoke: notAvailable('Intents') },
    __toasts: toasts,
  };

  // ---------------------------------------------------------------- web components
  const define = (name, impl) => { if (!customElements.get(name)) customElements.define(name, impl); };
  const schedule = (() => {
    let queued = false;
    return () => {
      if (queued) return;
      queued = true;
      setTimeout(() => { queued = false; announceChrome(); }, 30);
    };
  })();

  define('ui-nav-menu', class extends HTMLElement {
    connectedCallback() { schedule(); }
    disconnectedCallback() { schedule(); }
  });
  define('ui-title-bar', class extends HTMLElement {
    static get observedAttributes() { return ['title']; }
    attributeChangedCallback() { schedule(); }
    connectedCallback() { schedule(); }
    disconnectedCallback() { schedule(); }
  });
  define('ui-save-bar', class extends HTMLElement {
    constructor() { super(); this._showing = false; }
    get showing() { return this._showing; }
    show() { if (!this._showing) { this._showing = true; this.dispatchEvent(new CustomEvent('show')); announceSaveBar(); } return Promise.resolve(); }
    hide() { if (this._showing) { this._showing = false; this.dispatchEvent(new CustomEvent('hide')); announceSaveBar(); } return Promise.resolve(); }
    toggle() { return this._showing ? this.hide() : this.show(); }
    disconnectedCallback() { if (this._showing) { this._showing = false; announceSaveBar(); } }
  });
  define('ui-modal', class extends HTMLElement {
    constructor() {
      super();
      this._open = false;
      this.content = document.createElement('div');
      this.content.className = 'demo-ab-modal__body';
      this._backdrop = document.createElement('div');
      this._backdrop.className = 'demo-ab-modal-backdrop';
      this._backdrop.hidden = true;
      this._backdrop.innerHTML = '<div class="demo-ab-modal" role="dialog" aria-modal="true"><div class="demo-ab-modal__head"><h2></h2><button type="button" class="demo-ab-modal__close" aria-label="Close">&times;</button></div><div class="demo-ab-modal__foot"></div></div>';
      const dialog = this._backdrop.firstChild;
      dialog.insertBefore(this.content, dialog.lastChild);
      this._backdrop.querySelector('.demo-ab-modal__close').addEventListener('click', () => this.hide());
      this._backdrop.addEventListener('click', (e) => { if (e.target === this._backdrop) this.hide(); });
    }
    get open() { return this._open; }
    connectedCallback() { if (!this._backdrop.isConnected) document.body.appendChild(this._backdrop); }
    disconnectedCallback() { this._backdrop.remove(); }
    _render() {
      const bar = this.querySelector('ui-title-bar');
      const dialog = this._backdrop.firstChild;
      dialog.className = 'demo-ab-modal demo-ab-modal--' + (this.getAttribute('variant') || 'base');
      dialog.querySelector('h2').textContent = (bar && bar.getAttribute('title')) || '';
      const foot = dialog.querySelector('.demo-ab-modal__foot');
      foot.textContent = '';
      for (const original of bar ? bar.querySelectorAll('button') : []) {
        const copy = document.createElement('button');
        copy.type = 'button';
        copy.textContent = original.textContent;
        copy.className = 'demo-ab-btn' + (original.getAttribute('variant') === 'primary' ? ' demo-ab-btn--primary' : '') + (original.getAttribute('tone') === 'critical' ? ' demo-ab-btn--critical' : '');
        copy.disabled = original.disabled || original.hasAttribute('disabled');
        copy.addEventListener('click', () => original.click());
        foot.appendChild(copy);
      }
      foot.hidden = foot.childElementCount === 0;
    }
    show() { this._render(); this._open = true; this._backdrop.hidden = false; this.dispatchEvent(new CustomEvent('show')); return Promise.resolve(); }
    hide() { if (!this._open) return Promise.resolve(); this._open = false; this._backdrop.hidden = true; this.dispatchEvent(new CustomEvent('hide')); return Promise.resolve(); }
    toggle() { return this._open ? this.hide() : this.show(); }
  });

  // ---------------------------------------------------------------- the frame's chrome
  const pageTitleBar = () => [...document.querySelectorAll('ui-title-bar')].find((el) => !el.closest('ui-modal'));
  const isBreadcrumb = (el) => el.getAttribute('variant') === 'breadcrumb';
  const titleBarControls = (bar) => (bar ? [...bar.querySelectorAll(':scope > button, :scope > section > button')].filter((b) => !isBreadcrumb(b)) : []);
  const breadcrumbOf = (bar) => (bar ? [...bar.querySelectorAll(':scope > a, :scope > button')].find(isBreadcrumb) || null : null);
  const announceChrome = () => {
    const nav = document.querySelector('ui-nav-menu');
    const items = nav ? [...nav.querySelectorAll('a')].map((a) => ({ label: a.textContent.trim(), href: a.getAttribute('href'), home: a.getAttribute('rel') === 'home' })) : [];
    const bar = pageTitleBar();
    const breadcrumb = breadcrumbOf(bar);
    post({
      type: 'chrome',
      nav: items,
      title: (bar && bar.getAttribute('title')) || '',
      breadcrumb: breadcrumb ? { label: breadcrumb.textContent.trim(), href: breadcrumb.getAttribute('href') || null } : null,
      buttons: titleBarControls(bar).map((b) => ({ label: b.textContent.trim(), primary: b.getAttribute('variant') === 'primary', critical: b.getAttribute('tone') === 'critical', disabled: b.disabled || b.hasAttribute('disabled') })),
    });
  };
  const observer = new MutationObserver((mutations) => {
    for (const m of mutations) {
      const node = m.target.nodeType === 1 ? m.target : m.target.parentElement;
      if (node && node.closest && node.closest('ui-title-bar, ui-nav-menu')) { schedule(); return; }
    }
  });

  const cleanLocation = () => {
    const url = new URL(location.href);
    for (const p of ['embedded', 'shop', 'host', 'id_token', 'hmac', 'locale', 'session', 'timestamp']) url.searchParams.delete(p);
    return url.pathname + (url.searchParams.toString() ? '?' + url.searchParams.toString() : '');
  };
  const announceLocation = () => post({ type: 'location', path: cleanLocation(), title: document.title });
  for (const method of ['pushState', 'replaceState']) {
    const original = history[method].bind(history);
    history[method] = function () { const result = original.apply(null, arguments); setTimeout(announceLocation, 0); return result; };
  }
  window.addEventListener('popstate', announceLocation);

  const navigateTo = (href) => {
    const nav = document.querySelector('ui-nav-menu');
    let anchor = nav && [...nav.querySelectorAll('a')].find((a) => a.getAttribute('href') === href);
    let temporary = false;
    if (!anchor) {
      anchor = document.createElement('a');
      anchor.setAttribute('href', href);
      anchor.hidden = true;
      document.body.appendChild(anchor);
      temporary = true;
    }
    anchor.dispatchEvent(new CustomEvent('shopify:navigate', { bubbles: true }));
    if (temporary) anchor.remove();
  };

  window.addEventListener('message', (event) => {
    if (event.source !== window.parent || event.origin !== location.origin) return;
    const data = event.data || {};
    if (data.source !== 'demo-admin') return;
    if (data.type === 'navigate' && typeof data.href === 'string') navigateTo(data.href);
    if (data.type === 'titlebar-action') {
      const control = titleBarControls(pageTitleBar())[data.index];
      if (control) control.click();
    }
    if (data.type === 'breadcrumb') {
      const crumb = breadcrumbOf(pageTitleBar());
      if (crumb && crumb.tagName === 'A') crumb.dispatchEvent(new CustomEvent('shopify:navigate', { bubbles: true }));
      else if (crumb) crumb.click();
    }
    if (data.type === 'savebar-action') saveBarAction(data.action);
    if (data.type === 'hello') { announceChrome(); announceLocation(); announceSaveBar(); }
  });

  // shopify://admin/... links open the admin's own pages (in the demo: the frame's Orders/Customers).
  document.addEventListener('click', (event) => {
    const a = event.target && event.target.closest && event.target.closest('a[href^="shopify://admin"]');
    if (!a) return;
    event.preventDefault();
    post({ type: 'admin-link', path: a.getAttribute('href').slice('shopify://admin'.length) });
  }, true);

  const style = document.createElement('style');
  style.textContent = [
    'ui-nav-menu, ui-title-bar, ui-save-bar { display: none !important; }',
    'ui-modal { display: none; }',
    '#demo-ab-layer { position: fixed; inset: auto 0 24px 0; display: flex; flex-direction: column; align-items: center; gap: 8px; z-index: 2147483000; pointer-events: none; }',
    '.demo-ab-toast { pointer-events: auto; background: #1a1a1a; color: #fff; padding: 10px 16px; border-radius: 10px; font: 500 14px/1.4 system-ui, sans-serif; box-shadow: 0 8px 24px rgba(0,0,0,.25); }',
    '.demo-ab-toast--error { background: #8e1f0b; }',
    '#demo-ab-savebar { pointer-events: auto; position: fixed; top: 0; left: 0; right: 0; display: flex; gap: 8px; align-items: center; padding: 10px 16px; background: #1a1a1a; color: #fff; font: 500 14px system-ui, sans-serif; }',
    '#demo-ab-savebar span { flex: 1; }',
    '.demo-ab-modal-backdrop { position: fixed; inset: 0; background: rgba(0,0,0,.45); display: grid; place-items: center; z-index: 2147482000; }',
    '.demo-ab-modal-backdrop[hidden] { display: none; }',
    '.demo-ab-modal { background: #fff; border-radius: 12px; width: min(620px, calc(100vw - 32px)); max-height: calc(100vh - 64px); display: flex; flex-direction: column; box-shadow: 0 20px 50px rgba(0,0,0,.3); font: 14px system-ui, sans-serif; }',
    '.demo-ab-modal--small { width: min(380px, calc(100vw - 32px)); } .demo-ab-modal--large { width: min(980px, calc(100vw - 32px)); } .demo-ab-modal--max { width: calc(100vw - 32px); height: calc(100vh - 32px); }',
    '.demo-ab-modal__head { display: flex; align-items: center; padding: 12px 16px; border-bottom: 1px solid #e3e3e3; background: #f7f7f7; border-radius: 12px 12px 0 0; }',
    '.demo-ab-modal__head h2 { flex: 1; margin: 0; font-size: 14px; font-weight: 650; }',
    '.demo-ab-modal__close { border: 0; background: none; font-size: 22px; line-height: 1; cursor: pointer; }',
    '.demo-ab-modal__body { overflow: auto; }',
    '.demo-ab-modal__foot { display: flex; justify-content: flex-end; gap: 8px; padding: 12px 16px; border-top: 1px solid #e3e3e3; }',
    '.demo-ab-btn { border: 1px solid #c9c9c9; background: #fff; border-radius: 8px; padding: 6px 12px; font: 600 13px system-ui, sans-serif; cursor: pointer; }',
    '.demo-ab-btn--primary { background: #303030; color: #fff; border-color: #303030; } .demo-ab-btn--critical { background: #c70a24; color: #fff; border-color: #c70a24; }',
  ].join('\\n');
  (document.head || document.documentElement).appendChild(style);

  const start = () => {
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    announceChrome();
    announceLocation();
  };
  if (document.body) start(); else document.addEventListener('DOMContentLoaded', start);
})();
`;
}
