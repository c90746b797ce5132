// A local stand-in for https://cdn.shopify.com/shopifycloud/app-bridge.js, enough for the app to run
// outside Shopify admin: `shopify.idToken()` returns a fresh session token signed (in the test
// process) with the app's secret, and fetches to the app's own origin carry it as a Bearer token,
// as App Bridge does. Toasts are recorded so tests can assert them.
export function appBridgeStandIn({ apiKey, shop }: { apiKey: string; shop: string }): string {
  return `(() => {
  const toasts = [];
  window.__toasts = toasts;
  const shopify = {
    config: { apiKey: ${JSON.stringify(apiKey)}, shop: ${JSON.stringify(shop)}, locale: "en" },
    idToken: () => window.__testSessionToken(),
    toast: { show: (message, opts) => { toasts.push({ message, ...(opts || {}) }); const el = document.createElement("div"); el.setAttribute("role", "status"); el.className = "test-toast"; el.textContent = message; document.body.appendChild(el); return "t" + toasts.length; }, hide: () => {} },
    loading: () => {},
    saveBar: { show: async () => {}, hide: async () => {}, toggle: async () => {} },
    modal: { show: async () => {}, hide: async () => {} },
    environment: { embedded: true, mobile: false, pos: false },
  };
  window.shopify = shopify;
  const originalFetch = window.fetch.bind(window);
  window.fetch = async (input, init = {}) => {
    const url = new URL(typeof input === "string" ? input : input.url, location.href);
    if (url.origin === location.origin) {
      const headers = new Headers(init.headers || (typeof input === "string" ? undefined : input.headers));
      if (!headers.has("Authorization")) headers.set("Authorization", "Bearer " + (await shopify.idToken()));
      init = { ...init, headers };
    }
    return originalFetch(input, init);
  };
  // In Shopify admin the nav menu and title bar render outside the iframe; here they are hidden.
  const style = document.createElement("style");
  style.textContent = "ui-nav-menu, ui-title-bar, ui-save-bar { display: none; }";
  document.head.appendChild(style);
  // App Bridge web components the app uses render as plain elements here.
  for (const name of ["ui-nav-menu", "ui-title-bar", "ui-modal"]) {
    if (!customElements.get(name)) customElements.define(name, class extends HTMLElement {});
  }
  // <ui-save-bar> is driven through its element methods by App Bridge React's SaveBar.
  if (!customElements.get("ui-save-bar")) {
    customElements.define("ui-save-bar", class extends HTMLElement {
      async show() { this.setAttribute("data-shown", ""); }
      async hide() { this.removeAttribute("data-shown"); }
      async toggle() { this.toggleAttribute("data-shown"); }
      get showing() { return this.hasAttribute("data-shown"); }
    });
  }
})();`;
}
