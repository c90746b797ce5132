// The extension's frame: builds the `shopify` global a UI extension target gets, loads the bundle
// Shopify's CLI built, and runs the callback the bundle registered with shopify.extend(target, …).
// Shopify runs the bundle in a sandboxed worker and mirrors its DOM (Remote DOM); here it renders into
// this frame's document directly, which is what the s-* elements' styles (polaris.css) then draw.
// Signals: @shopify/ui-extensions/preact hands Preact's Signal class to shopify.setSignals(); every API
// value marked {"$signal": …} in the scenario becomes one, so Preact re-renders when the host changes it.
(async () => {
  const root = document.documentElement;
  const prefix = root.dataset.prefix || "";
  const scenarioId = root.dataset.scenario;
  const host = { ready: false, error: null, requests: [], calls: [], update: null };
  window.__host = host;

  function fail(message) {
    host.error = message;
    const pre = document.createElement("pre");
    pre.id = "host-error";
    pre.textContent = message;
    document.body.appendChild(pre);
  }

  const spec = await (await fetch(`${prefix}/spec/${scenarioId}.json`)).json();
  const locale = spec.locale || "en";
  const messages = spec.messages || {};

  // ---- signals -------------------------------------------------------------------------------
  class HostSignal {
    constructor(value) {
      this._value = value;
      this._subscribers = new Set();
    }
    get value() {
      return this._value;
    }
    set value(next) {
      this._value = next;
      for (const fn of this._subscribers) fn(next);
    }
    get current() {
      return this._value;
    }
    subscribe(fn) {
      this._subscribers.add(fn);
      fn(this._value);
      return () => this._subscribers.delete(fn);
    }
    peek() {
      return this._value;
    }
    destroy() {
      return Promise.resolve();
    }
  }
  const slots = new Map(); // "a.b.c" -> { parent, key }
  function materialize(value, path, parent, key) {
    if (value && typeof value === "object" && !Array.isArray(value) && "$signal" in value) {
      slots.set(path, { parent, key });
      return new HostSignal(materialize(value.$signal, `${path}.$`, null, null));
    }
    if (Array.isArray(value)) return value.map((v, i) => materialize(v, `${path}.${i}`, null, null));
    if (value && typeof value === "object") {
      const out = {};
      for (const [k, v] of Object.entries(value)) out[k] = materialize(v, path ? `${path}.${k}` : k, out, k);
      return out;
    }
    return value;
  }
  const signalSlot = (value, path, parent, key) => {
    slots.set(path, { parent, key });
    return new HostSignal(value);
  };

  // ---- i18n (https://shopify.dev/docs/api/checkout-ui-extensions/latest/target-apis/platform-apis/localization-api)
  function lookup(key) {
    return key.split(".").reduce((node, part) => (node && typeof node === "object" ? node[part] : undefined), messages);
  }
  const i18n = {
    translate(key, options = {}) {
      let entry = lookup(key);
      if (entry && typeof entry === "object" && options.count !== undefined) {
        const rule = new Intl.PluralRules(locale).select(Number(options.count));
        entry = entry[Number(options.count) === 0 && "zero" in entry ? "zero" : rule] ?? entry.other;
      }
      if (typeof entry !== "string") return key;
      return entry.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name) => (name in options ? String(options[name]) : whole));
    },
    formatNumber: (value, options = {}) => new Intl.NumberFormat(locale, options).format(value),
    formatCurrency: (value, options = {}) => new Intl.NumberFormat(locale, { style: "currency", currency: spec.currency || "USD", ...options }).format(value),
    formatDate: (date, options = {}) => new Intl.DateTimeFormat(locale, options).format(date),
  };

  // ---- session token: signed by the host's server with the scenario's secret (never sent here)
  let token = null;
  const sessionToken = {
    async get() {
      if (token && token.expiresAt - Date.now() / 1000 > 30) return token.token;
      const response = await fetch(`${prefix}/session-token/${scenarioId}`, { method: "POST" });
      token = await response.json();
      return token.token;
    },
  };

  // ---- the global ----------------------------------------------------------------------------
  const registered = new Map();
  const storage = new Map();
  const api = materialize(spec.api || {}, "", null, null);
  const shopify = {
    extend(target, callback) {
      registered.set(target, callback);
    },
    reload() {
      location.reload();
    },
    setSignals(Signal) {
      // Preact's own signals from here on: the same values, now tracked by the components that read them.
      for (const { parent, key } of slots.values()) {
        if (!parent) continue;
        const old = parent[key];
        const fresh = new Signal(old.value);
        Object.defineProperty(fresh, "current", { get: () => fresh.value });
        fresh.destroy = () => Promise.resolve();
        parent[key] = fresh;
      }
    },
    extension: {
      target: spec.target,
      apiVersion: "2026-07",
      scriptUrl: `${location.origin}${prefix}/bundle/${spec.extension}.js`,
    },
    extensionPoint: spec.target,
    i18n,
    sessionToken,
    storage: {
      read: async (key) => (storage.has(key) ? storage.get(key) : null),
      write: async (key, value) => void storage.set(key, value),
      delete: async (key) => void storage.delete(key),
    },
    analytics: { publish: async () => true, visitor: async () => ({ type: "success" }) },
    // Customer accounts' StandardApi: a brief message at the bottom of the page.
    toast: {
      async show(message) {
        host.calls.push(`toast:${message}`);
        const toast = document.createElement("div");
        toast.className = "host-toast";
        toast.setAttribute("role", "status");
        toast.textContent = message;
        document.body.appendChild(toast);
        setTimeout(() => toast.remove(), 3000);
      },
    },
    async requireLogin() {
      host.calls.push("requireLogin");
      if (shopify.authenticationState) shopify.authenticationState.value = "fully_authenticated";
    },
    ...api,
  };
  shopify.extension.capabilities = signalSlot(["network_access"], "extension.capabilities", shopify.extension, "capabilities");
  shopify.extension.rendered = signalSlot(true, "extension.rendered", shopify.extension, "rendered");
  shopify.localization = {
    language: signalSlot({ isoCode: locale }, "localization.language", null, "language"),
    extensionLanguage: signalSlot({ isoCode: locale.split("-")[0] }, "localization.extensionLanguage", null, "extensionLanguage"),
    currency: signalSlot({ isoCode: spec.currency || "USD" }, "localization.currency", null, "currency"),
    country: signalSlot({ isoCode: spec.country || "US" }, "localization.country", null, "country"),
    timezone: signalSlot(Intl.DateTimeFormat().resolvedOptions().timeZone, "localization.timezone", null, "timezone"),
  };
  for (const key of Object.keys(shopify.localization)) slots.get(`localization.${key}`).parent = shopify.localization;
  // Spread copies the top-level signals: point their slots at the global itself.
  for (const [path, slot] of slots) if (!path.includes(".") && slot.parent) slot.parent = shopify;
  window.shopify = shopify;

  /** Sets a signal's value from a test or the demo: window.__host.update("orderConfirmation", {...}). */
  host.update = (path, value) => {
    const slot = slots.get(path);
    if (!slot || !slot.parent) throw new Error(`no signal at ${path}`);
    slot.parent[slot.key].value = value;
  };

  // ---- network: what the extension asks, for tests (fetch is the extension's only way out) -----
  const realFetch = window.fetch.bind(window);
  window.fetch = async (input, init) => {
    const url = typeof input === "string" ? input : input.url;
    const entry = { url, method: (init && init.method) || "GET", status: null, at: Date.now() };
    if (!url.startsWith(`${location.origin}${prefix}/`) && !url.startsWith(`${prefix}/`)) host.requests.push(entry);
    try {
      const response = await realFetch(input, init);
      entry.status = response.status;
      return response;
    } catch (error) {
      entry.status = 0;
      throw error;
    }
  };

  // Shopify's CLI replaces process.env.APP_URL at bundle time under `shopify app dev`; the same built
  // bundle reads it at run time here, so it can talk to whichever app a test started.
  window.process = { env: { APP_URL: spec.appUrl } };

  // ---- the few s-* elements that need behaviour, not just styles (polaris.css draws the rest) ----
  // Attributes only: Preact sets a property when the element has one, so these classes define none and
  // Preact writes attributes (lower-cased by HTML: commandFor -> commandfor), which CSS can also read.
  function defineElements() {
    class ButtonElement extends HTMLElement {
      // accessibilityLabel is the button's accessible name, as Shopify renders it.
      static get observedAttributes() {
        return ["accessibilitylabel"];
      }
      attributeChangedCallback(name, _old, value) {
        if (value) this.setAttribute("aria-label", value);
        else this.removeAttribute("aria-label");
      }
      connectedCallback() {
        if (!this.hasAttribute("role")) this.setAttribute("role", this.hasAttribute("href") ? "link" : "button");
        if (!this.hasAttribute("tabindex")) this.tabIndex = 0;
        if (this._wired) return;
        this._wired = true;
        this.addEventListener("keydown", (event) => {
          if (event.key === "Enter" || event.key === " ") {
            event.preventDefault();
            this.click();
          }
        });
        this.addEventListener("click", () => {
          const target = this.getAttribute("commandfor");
          const command = this.getAttribute("command");
          if (target && command === "--copy") {
            const item = document.getElementById(target);
            const text = item ? item.getAttribute("text") || "" : "";
            host.calls.push(`copy:${text}`);
            const done = () => item && item.dispatchEvent(new Event("copy"));
            (navigator.clipboard ? navigator.clipboard.writeText(text) : Promise.reject(new Error("no clipboard"))).then(done, done);
            this.setAttribute("data-copied", "");
            setTimeout(() => this.removeAttribute("data-copied"), 1500);
          }
          const href = this.getAttribute("href");
          if (href) window.top.location.href = href;
        });
      }
    }
    class ProgressElement extends HTMLElement {
      static get observedAttributes() {
        return ["value", "max", "accessibilitylabel"];
      }
      connectedCallback() {
        this.draw();
      }
      attributeChangedCallback() {
        this.draw();
      }
      draw() {
        const max = Number(this.getAttribute("max") || 1);
        const value = Math.max(0, Math.min(max, Number(this.getAttribute("value") || 0)));
        this.setAttribute("role", "progressbar");
        this.setAttribute("aria-valuemin", "0");
        this.setAttribute("aria-valuemax", String(max));
        this.setAttribute("aria-valuenow", String(value));
        const label = this.getAttribute("accessibilitylabel");
        if (label) this.setAttribute("aria-label", label);
        this.style.setProperty("--progress", `${(100 * value) / (max || 1)}%`);
      }
    }
    class HeadingElement extends HTMLElement {
      connectedCallback() {
        this.setAttribute("role", "heading");
        this.setAttribute("aria-level", this.closest("s-section") ? "3" : "2");
      }
    }
    class SectionElement extends HTMLElement {
      connectedCallback() {
        // The heading is drawn from the attribute by CSS; screen readers get it as the region's name.
        const heading = this.getAttribute("heading");
        if (heading) {
          this.setAttribute("role", "region");
          this.setAttribute("aria-label", heading);
        }
      }
    }
    // s-page (customer accounts' full-page container): its heading and subheading drawn in a shadow root
    // above the content, so Preact's children stay the element's own.
    class PageElement extends HTMLElement {
      static get observedAttributes() {
        return ["heading", "subheading"];
      }
      connectedCallback() {
        this.draw();
      }
      attributeChangedCallback() {
        this.draw();
      }
      draw() {
        const shadow = this.shadowRoot || this.attachShadow({ mode: "open" });
        shadow.innerHTML = '<header part="header"><h1 part="heading"></h1><p part="subheading"></p></header><slot></slot>';
        shadow.querySelector("h1").textContent = this.getAttribute("heading") || "";
        const subheading = shadow.querySelector("p");
        subheading.textContent = this.getAttribute("subheading") || "";
        subheading.hidden = !subheading.textContent;
      }
    }
    customElements.define("s-page", PageElement);
    customElements.define("s-button", ButtonElement);
    customElements.define("s-progress", ProgressElement);
    customElements.define("s-heading", HeadingElement);
    customElements.define("s-section", SectionElement);
  }
  defineElements();

  // ---- the bundle ----------------------------------------------------------------------------
  try {
    await new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = `${prefix}/bundle/${spec.extension}.js`;
      script.onload = resolve;
      script.onerror = () => reject(new Error(`could not load the bundle of ${spec.extension} (built with \`shopify app build\`?)`));
      document.head.appendChild(script);
    });
    const callback = registered.get(spec.target);
    if (!callback) throw new Error(`the bundle registered ${[...registered.keys()].join(", ") || "nothing"}, not ${spec.target}`);
    await callback();
    host.ready = true;
  } catch (error) {
    fail(String((error && error.stack) || error));
  }
})();
