/* Loyalty rewards launcher (app embed), the readable source of extensions/loyalty-theme/assets/loyalty-launcher.js.
 * `npm run build:theme` minifies it there (scripts/theme-assets.mjs); a unit test fails while the two differ.
 * Requests: the app proxy only, never at page load. Data reaches the page through textContent only. */
(() => {
  // Runs when the panel first opens, not at page load (Intl and the lists cost a few ms).
  const setup = (root, q, toggle, panel) => {
    let cfg;
    try {
      cfg = JSON.parse(q("config").textContent);
    } catch (e) {
      return;
    }
    const t = cfg.t || {};
    const list = q("rewards");
    const codeList = q("codes");
    const locale = cfg.locale || document.documentElement.lang || undefined;
    const nf = new Intl.NumberFormat(locale);
    const pr = new Intl.PluralRules(locale);
    const base = String(cfg.root || "/").replace(/\/+$/, "");
    const num = (v) => (isFinite(Number(v)) ? Math.trunc(Number(v)) : 0);
    const fill = (text, key, value) => String(text || "").replace("%{" + key + "}", value);
    const plural = (key, n) => fill(t[key + (pr.select(n) === "one" ? "_one" : "_other")], "n", nf.format(n));
    const el = (tag, className = "", textContent = "") => Object.assign(document.createElement(tag), { className, textContent });
    const attr = (node, name, value) => (value ? node.setAttribute(name, value) : node.removeAttribute(name));
    const status = (text) => q("status") && (q("status").textContent = text || "");
    const state = { balance: num(cfg.balance), pending: num(cfg.pending), rewards: [], affordable: null, history: [], codes: [], busy: null, loadedAt: 0 };
    let rewardsKey = "";
    let items = {};
    if (list) {
      for (const li of list.children) state.rewards.push({ id: li.dataset.id, name: li.textContent.trim(), cost: num(li.dataset.cost) });
    }

    // ----- Your codes: what each gives, how long it has left (one timer, only while the panel is open)

    // Amounts are the shop's currency (Shopify's discount values are in shop money), in the shopper's locale; "$10", not "$10.00".
    const money = (value) => {
      const n = Number(value);
      try {
        return new Intl.NumberFormat(locale, { style: "currency", currency: cfg.currency, ...(n % 1 ? {} : { minimumFractionDigits: 0 }) }).format(n);
      } catch (e) {
        return nf.format(n);
      }
    };
    const describe = (code) => {
      const n = Number(code.value);
      const value =
        code.type === "free_shipping"
          ? t.free_shipping
          : code.type === "percentage"
            ? fill(t.percent_off, "value", new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 2 }).format(n / 100))
            : code.type === "fixed_amount"
              ? fill(t.amount_off, "amount", money(n))
              : "";
      // Shopify's minimum purchase amount: the subtotal must be at least this much. A value the title already says ("$10 off") is not repeated.
      const same = value && value.toLowerCase() === code.title.trim().toLowerCase();
      return [same ? "" : value, code.min ? fill(t.minimum, "amount", money(code.min)) : ""].filter(Boolean).join(" · ");
    };
    const units = {};
    const unit = (n, name) => (units[name] = units[name] || new Intl.NumberFormat(locale, { style: "unit", unit: name, unitDisplay: name === "day" ? "long" : "short" })).format(n);
    // Days when far (with hours under three days), hours and minutes under a day, seconds in the last hour.
    const timeLeft = (ms) => {
      const s = Math.max(0, Math.floor(ms / 1000));
      const [d, h, m] = [Math.floor(s / 86400), Math.floor(s / 3600) % 24, Math.floor(s / 60) % 60];
      const parts = d >= 3 ? [unit(d, "day")] : d ? [unit(d, "day"), unit(h, "hour")] : h ? [unit(h, "hour"), unit(m, "minute")] : [unit(m, "minute"), unit(s % 60, "second")];
      return fill(t.time_left, "time", parts.join(" "));
    };
    const endsOn = (iso) => {
      const date = new Date(iso);
      if (!iso || isNaN(date)) return "";
      const options = { month: "long", day: "numeric", hour: "numeric", minute: "2-digit" };
      if (date.getFullYear() !== new Date().getFullYear()) options.year = "numeric";
      return fill(t.ends_on, "date", new Intl.DateTimeFormat(locale, options).format(date));
    };
    // The server says how many seconds each code has left: the countdown runs from that, not from the device's clock.
    const codeOf = (c, receivedAt) => ({
      code: String(c.code || ""),
      welcome: c.source === "welcome",
      title: String(c.title || ""),
      type: c.discountType,
      value: c.value,
      min: c.minSubtotal,
      endsAt: c.endsAt,
      deadline: receivedAt + Math.max(0, Number(c.secondsLeft) || 0) * 1000,
    });
    const setCodes = (codes) => {
      // Ordered by the server's end instant, as the server orders them: deadlines computed from answers
      // received at different moments can differ by a second for codes ending together.
      const end = (c) => Date.parse(c.endsAt) || c.deadline;
      state.codes = codes.filter((c) => c.code).sort((a, b) => end(a) - end(b) || (a.code < b.code ? -1 : 1));
      buildCodes();
    };

    let codeItems = {};
    const buildCodes = () => {
      if (!codeList) return;
      codeList.textContent = "";
      codeItems = {};
      state.codes.forEach((c, i) => {
        const li = el("li", "lyl-code" + (c.welcome ? " lyl-code--welcome" : ""));
        li.tabIndex = -1;
        const codeId = panel.id + "-code-" + i;
        // The welcome code's stored title is the app's own English sentence: the shopper reads it in their language.
        li.append(el("p", "lyl-code__title", (c.welcome && t.thank_you) || c.title));
        const value = describe(c);
        if (value) li.append(el("p", "lyl-code__value", value));
        const codeEl = el("code", "lyl-code__code", c.code);
        codeEl.id = codeId;
        const copy = el("button", "lyl-btn lyl-btn--secondary", t.copy);
        copy.type = "button";
        copy.setAttribute("aria-describedby", codeId);
        copy.addEventListener("click", () => copyCode(c.code, codeEl, copy));
        // Shopify's shareable discount link: applies the code to the cart, then goes to the cart.
        const apply = el("a", "lyl-btn lyl-btn--primary", t.apply);
        apply.href = base + "/discount/" + encodeURIComponent(c.code) + "?redirect=" + base + "/cart";
        apply.setAttribute("aria-describedby", codeId);
        const actions = el("div", "lyl-code__actions");
        actions.append(copy, apply);
        // The ticking text is hidden from screen readers (it would be read again at every change); the end date is read.
        const left = el("span", "lyl-code__left");
        left.setAttribute("aria-hidden", "true");
        const time = el("p", "lyl-code__time");
        time.append(left, el("span", "lyl-code__ends", endsOn(c.endsAt)));
        li.append(codeEl, actions, time);
        codeList.appendChild(li);
        codeItems[c.code] = { li, left };
      });
      q("codes-box").hidden = !state.codes.length;
      tick();
    };

    let timer = 0;
    // Starts the one timer when the open panel has codes, stops it otherwise.
    const clock = () => {
      if (!panel.hidden && state.codes.length) {
        timer = timer || setInterval(tick, 1000);
      } else {
        clearInterval(timer);
        timer = 0;
      }
    };
    const tick = () => {
      if (!codeList) return;
      const now = Date.now();
      const ended = state.codes.filter((c) => c.deadline <= now);
      state.codes = state.codes.filter((c) => c.deadline > now);
      q("codes-box").hidden = !state.codes.length;
      for (const c of ended) {
        // Ended: it no longer works at checkout, so it goes, without a reload. Focus inside it moves to
        // the list's heading, or to the panel when no code is left.
        const { li } = codeItems[c.code];
        const hadFocus = li.contains(document.activeElement);
        li.remove();
        if (hadFocus) (state.codes.length ? q("codes-heading") : panel).focus();
      }
      for (const c of state.codes) {
        const text = timeLeft(c.deadline - now);
        const { left } = codeItems[c.code];
        if (left.textContent !== text) left.textContent = text;
      }
      clock();
    };

    const copyCode = (code, codeEl, button) => {
      const done = () => {
        button.textContent = t.copied;
        status(t.copied);
        setTimeout(() => (button.textContent = t.copy), 2000);
      };
      // Without the Clipboard API (an http page, an older browser): the selected text and execCommand, else ask the shopper.
      const fallback = () => {
        getSelection().selectAllChildren(codeEl);
        let copied = false;
        try {
          copied = document.execCommand("copy");
        } catch (e) {
          /* not allowed */
        }
        if (copied) done();
        else status(t.copy_failed);
      };
      if (!navigator.clipboard) return fallback();
      navigator.clipboard.writeText(code).then(done, fallback);
    };

    // ----- Rewards

    const canRedeem = (r) => state.balance >= 0 && r.cost <= state.balance && (!state.affordable || state.affordable.includes(r.id));
    // In debt, the one notice above the list says why; buttons point to it.
    const reasonFor = (r) => {
      if (state.balance < 0) return "";
      if (r.cost > state.balance) return plural("needs_more", r.cost - state.balance);
      return canRedeem(r) ? "" : t.error_unavailable;
    };

    const buildRewards = () => {
      const key = JSON.stringify(state.rewards);
      if (!list || key === rewardsKey) return;
      rewardsKey = key;
      items = {};
      list.textContent = "";
      if (!state.rewards.length) list.appendChild(el("li", "lyl-reward lyl-reward--empty", t.no_rewards));
      state.rewards.forEach((reward, i) => {
        const li = el("li", "lyl-reward");
        const info = el("div", "lyl-reward__info");
        info.append(el("span", "lyl-reward__name", reward.name), el("span", "lyl-reward__cost", plural("points", reward.cost)));
        const button = el("button", "lyl-btn lyl-btn--primary lyl-reward__redeem");
        button.type = "button";
        button.addEventListener("click", () => redeem(reward));
        const reason = el("p", "lyl-reward__reason");
        reason.id = panel.id + "-reason-" + i;
        li.append(info, button, reason);
        list.appendChild(li);
        items[reward.id] = { button, reason };
      });
    };

    const render = () => {
      // Launcher only: the points-balance block stays a consistent metafield snapshot.
      for (const node of root.querySelectorAll("[data-loyalty-balance],[data-loyalty-badge]")) node.textContent = nf.format(state.balance);
      const pending = q("pending");
      if (pending) {
        pending.textContent = nf.format(state.pending);
        q("pending-row").hidden = state.pending <= 0;
      }
      const debt = q("debt");
      if (debt) {
        debt.textContent = state.balance < 0 ? t.in_debt : "";
        debt.hidden = state.balance >= 0;
      }
      buildRewards();
      for (const reward of state.rewards) {
        const item = items[reward.id];
        if (!item) continue;
        const busy = state.busy === reward.id;
        const reason = busy ? "" : reasonFor(reward);
        item.button.textContent = busy ? t.redeeming : t.redeem;
        // While a request runs: aria-disabled, not disabled, so focus stays on the button.
        item.button.disabled = !busy && !canRedeem(reward);
        attr(item.button, "aria-disabled", state.busy && "true");
        attr(item.button, "aria-describedby", reason ? item.reason.id : state.balance < 0 && debt && debt.id);
        item.reason.textContent = reason;
        item.reason.hidden = !reason;
      }
      const box = q("history");
      const ul = box && box.querySelector("ul");
      if (ul) {
        ul.textContent = "";
        for (const h of state.history.slice(0, 3)) {
          const li = el("li", "lyl-history");
          li.append(el("span", "lyl-history__what", h.description), el("span", "lyl-history__points", (h.points > 0 ? "+" : "") + nf.format(h.points)));
          ul.appendChild(li);
        }
        box.hidden = !ul.children.length;
      }
    };

    // Signed in when the page was rendered, not any more (session ended): say so.
    const signedOut = () => {
      cfg.signedIn = false;
      status(t.signed_out);
    };

    const call = async (path, init = {}) => {
      const res = await fetch(cfg.proxy + path, { ...init, credentials: "same-origin", headers: { Accept: "application/json", ...init.headers } });
      let data = {};
      try {
        data = (await res.json()) || {};
      } catch (e) {
        /* not JSON */
      }
      return { status: res.status, ok: res.ok, data };
    };

    const refresh = async () => {
      status(t.loading);
      try {
        const { status: code, ok, data } = await call("/balance");
        if (code === 401 || data.loggedIn === false) {
          return signedOut();
        }
        if (!ok) throw new Error(String(code));
        state.balance = num(data.balance);
        state.pending = num(data.pending);
        if (Array.isArray(data.rewards)) state.rewards = data.rewards.map((r) => ({ id: String(r.id), name: String(r.name ?? ""), cost: num(r.pointsCost) }));
        state.affordable = Array.isArray(data.affordable) ? data.affordable.map(String) : null;
        state.history = Array.isArray(data.history) ? data.history.map((h) => ({ description: String(h.description ?? ""), points: num(h.points) })) : [];
        state.loadedAt = Date.now();
        status("");
        render();
        setCodes(Array.isArray(data.activeCodes) ? data.activeCodes.map((c) => codeOf(c, state.loadedAt)) : []);
      } catch (e) {
        status(t.load_failed);
      }
    };

    const redeem = async (reward) => {
      if (state.busy || !canRedeem(reward)) return;
      state.busy = reward.id;
      render();
      status(t.redeeming);
      let res = { data: {} };
      try {
        res = await call("/redeem", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ rewardId: reward.id }) });
      } catch (e) {
        /* offline: generic error below */
      }
      const { data } = res;
      state.busy = null;
      if (res.status === 401) return signedOut();
      if (res.ok && data.ok && typeof data.code === "string") {
        state.balance = typeof data.balance === "number" ? num(data.balance) : state.balance - reward.cost;
        state.affordable = null;
        state.loadedAt = 0;
        render();
        status("");
        // The new code joins "Your codes" and takes the focus, so a screen reader reads it.
        const fresh = codeOf(data.activeCode || { code: data.code, title: reward.name, endsAt: data.endsAt, secondsLeft: (Date.parse(data.endsAt) - Date.now()) / 1000 }, Date.now());
        setCodes([fresh, ...state.codes.filter((c) => c.code !== fresh.code)]);
        const item = codeItems[fresh.code];
        if (item) item.li.focus();
        return;
      }
      render();
      status(t["error_" + data.reason] || t.error_generic);
      if (data.reason === "insufficient_points" || data.reason === "in_debt") refresh();
    };

    const onKey = (e) => {
      if (e.key === "Escape") {
        e.preventDefault();
        close();
      }
    };
    const open = () => {
      panel.hidden = false;
      toggle.setAttribute("aria-expanded", "true");
      document.addEventListener("keydown", onKey);
      panel.focus();
      tick();
      if (cfg.signedIn && Date.now() - state.loadedAt > 30000) refresh();
    };
    const close = () => {
      panel.hidden = true;
      toggle.setAttribute("aria-expanded", "false");
      document.removeEventListener("keydown", onKey);
      clock();
      toggle.focus();
    };

    q("close").addEventListener("click", close);
    render();
    return { open, close };
  };

  const init = (root) => {
    if (root.dataset.ready) return;
    root.dataset.ready = "1";
    const q = (name) => root.querySelector("[data-loyalty-" + name + "]");
    const toggle = q("toggle");
    const panel = q("panel");
    let ui;
    const flip = () => (ui = ui || setup(root, q, toggle, panel)) && (panel.hidden ? ui.open() : ui.close());
    toggle.addEventListener("click", flip);
    // "Redeem now" in the points-balance block opens this panel.
    for (const button of document.querySelectorAll("[data-loyalty-open]:not([data-ready])")) {
      button.dataset.ready = "1";
      button.hidden = false;
      button.addEventListener("click", () => panel.hidden && flip());
    }
  };

  const start = () => document.querySelectorAll("[data-loyalty-launcher]").forEach(init);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
  // Theme editor: re-rendered without a page load.
  document.addEventListener("shopify:section:load", start);
})();
