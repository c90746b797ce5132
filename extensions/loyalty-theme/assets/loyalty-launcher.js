/* Loyalty rewards launcher (app embed). Requests: the app proxy only. Data goes through
 * textContent only. Keep under 10,000 bytes (theme-check AssetSizeAppBlockJavaScript). */
(() => {
// Runs when the panel first opens, not at page load (Intl and the list cost a few ms).
const setup = (root, q, toggle, panel) => {
  let cfg;
  try { cfg = JSON.parse(q('config').textContent); } catch (e) { return; }
  const t = cfg.t || {};
  const list = q('rewards');
  const result = q('result');
  const locale = cfg.locale || document.documentElement.lang || undefined;
  const nf = new Intl.NumberFormat(locale);
  const pr = new Intl.PluralRules(locale);
  const base = String(cfg.root || '/').replace(/\/+$/, '');
  const num = (v) => (isFinite(Number(v)) ? Math.trunc(Number(v)) : 0);
  const fill = (text, key, value) => String(text || '').replace('%{' + key + '}', value);
  const plural = (key, n) => fill(t[key + (pr.select(n) === 'one' ? '_one' : '_other')], 'n', nf.format(n));
  const el = (tag, className = '', textContent = '') => Object.assign(document.createElement(tag), { className, textContent });
  const attr = (node, name, value) => (value ? node.setAttribute(name, value) : node.removeAttribute(name));
  const status = (text) => q('status') && (q('status').textContent = text || '');
  const state = { balance: num(cfg.balance), pending: num(cfg.pending), rewards: [], affordable: null, history: [], busy: null, loadedAt: 0 };
  let rewardsKey = '';
  let items = {};
  if (list) {
    for (const li of list.children) state.rewards.push({ id: li.dataset.id, name: li.textContent.trim(), cost: num(li.dataset.cost) });
  }

  const canRedeem = (r) => state.balance >= 0 && r.cost <= state.balance && (!state.affordable || state.affordable.includes(r.id));
  // In debt, the one notice above the list says why; buttons point to it.
  const reasonFor = (r) => {
    if (state.balance < 0) return '';
    if (r.cost > state.balance) return plural('needs_more', r.cost - state.balance);
    return canRedeem(r) ? '' : t.error_unavailable;
  };

  const buildRewards = () => {
    const key = JSON.stringify(state.rewards);
    if (!list || key === rewardsKey) return;
    rewardsKey = key;
    items = {};
    list.textContent = '';
    if (!state.rewards.length) list.appendChild(el('li', 'lyl-reward lyl-reward--empty', t.no_rewards));
    state.rewards.forEach((reward, i) => {
      const li = el('li', 'lyl-reward');
      const info = el('div', 'lyl-reward__info');
      info.append(el('span', 'lyl-reward__name', reward.name), el('span', 'lyl-reward__cost', plural('points', reward.cost)));
      const button = el('button', 'lyl-btn lyl-btn--primary lyl-reward__redeem');
      button.type = 'button';
      button.addEventListener('click', () => redeem(reward));
      const reason = el('p', 'lyl-reward__reason');
      reason.id = panel.id + '-reason-' + i;
      li.append(info, button, reason);
      list.appendChild(li);
      items[reward.id] = { button, reason };
    });
  };

  const render = () => {
    // Launcher only: the points-balance block stays a consistent metafield snapshot.
    for (const node of root.querySelectorAll('[data-loyalty-balance],[data-loyalty-badge]')) node.textContent = nf.format(state.balance);
    const pending = q('pending');
    if (pending) {
      pending.textContent = nf.format(state.pending);
      q('pending-row').hidden = state.pending <= 0;
    }
    const debt = q('debt');
    if (debt) {
      debt.textContent = state.balance < 0 ? t.in_debt : '';
      debt.hidden = state.balance >= 0;
    }
    buildRewards();
    for (const reward of state.rewards) {
      const item = items[reward.id];
      if (!item) continue;
      const busy = state.busy === reward.id;
      const reason = busy ? '' : reasonFor(reward);
      item.button.textContent = busy ? t.redeeming : t.redeem;
      // While a request runs: aria-disabled, not disabled, so focus stays on the button.
      item.button.disabled = !busy && !canRedeem(reward);
      attr(item.button, 'aria-disabled', state.busy && 'true');
      attr(item.button, 'aria-describedby', reason ? item.reason.id : state.balance < 0 && debt && debt.id);
      item.reason.textContent = reason;
      item.reason.hidden = !reason;
    }
    const box = q('history');
    const ul = box && box.querySelector('ul');
    if (ul) {
      ul.textContent = '';
      for (const h of state.history.slice(0, 3)) {
        const li = el('li', 'lyl-history');
        li.append(el('span', 'lyl-history__what', h.description), el('span', 'lyl-history__points', (h.points > 0 ? '+' : '') + nf.format(h.points)));
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
    const res = await fetch(cfg.proxy + path, { ...init, credentials: 'same-origin', headers: { Accept: 'application/json', ...init.headers } });
    let data = {};
    try { data = (await res.json()) || {}; } catch (e) { /* not JSON */ }
    return { status: res.status, ok: res.ok, data };
  };

  const refresh = async () => {
    status(t.loading);
    try {
      const { status: code, ok, data } = await call('/balance');
      if (code === 401 || data.loggedIn === false) {
        return signedOut();
      }
      if (!ok) throw new Error(String(code));
      state.balance = num(data.balance);
      state.pending = num(data.pending);
      if (Array.isArray(data.rewards)) state.rewards = data.rewards.map((r) => ({ id: String(r.id), name: String(r.name ?? ''), cost: num(r.pointsCost) }));
      state.affordable = Array.isArray(data.affordable) ? data.affordable.map(String) : null;
      state.history = Array.isArray(data.history) ? data.history.map((h) => ({ description: String(h.description ?? ''), points: num(h.points) })) : [];
      state.loadedAt = Date.now();
      status('');
      render();
    } catch (e) {
      status(t.load_failed);
    }
  };

  const formatDate = (iso) => {
    const date = new Date(iso);
    return !iso || isNaN(date) ? '' : new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
  };

  const showResult = (data) => {
    const code = String(data.code);
    q('code').textContent = code;
    const expiry = formatDate(data.endsAt);
    const expiryEl = q('expiry');
    expiryEl.textContent = expiry ? fill(t.expires, 'date', expiry) : '';
    expiryEl.hidden = !expiry;
    // Built from the code (not the response's applyUrl): only ever the shop's own /discount/.
    q('apply').href = base + '/discount/' + encodeURIComponent(code) + '?redirect=' + base + '/cart';
    result.hidden = false;
    result.focus();
  };

  const redeem = async (reward) => {
    if (state.busy || !canRedeem(reward)) return;
    state.busy = reward.id;
    render();
    status(t.redeeming);
    let res = { data: {} };
    try {
      res = await call('/redeem', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ rewardId: reward.id }) });
    } catch (e) { /* offline: generic error below */ }
    const { data } = res;
    state.busy = null;
    if (res.status === 401) return signedOut();
    if (res.ok && data.ok && typeof data.code === 'string') {
      state.balance = typeof data.balance === 'number' ? num(data.balance) : state.balance - reward.cost;
      state.affordable = null;
      state.loadedAt = 0;
      render();
      status('');
      return showResult(data);
    }
    render();
    status(t['error_' + data.reason] || t.error_generic);
    if (data.reason === 'insufficient_points' || data.reason === 'in_debt') refresh();
  };

  const onKey = (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      close();
    }
  };
  const open = () => {
    panel.hidden = false;
    toggle.setAttribute('aria-expanded', 'true');
    document.addEventListener('keydown', onKey);
    panel.focus();
    if (cfg.signedIn && Date.now() - state.loadedAt > 30000) refresh();
  };
  const close = () => {
    panel.hidden = true;
    toggle.setAttribute('aria-expanded', 'false');
    document.removeEventListener('keydown', onKey);
    toggle.focus();
  };

  q('close').addEventListener('click', close);
  const copy = q('copy');
  if (copy) {
    copy.addEventListener('click', () => {
      const codeEl = q('code');
      const fail = () => {
        getSelection().selectAllChildren(codeEl);
        status(t.copy_failed);
      };
      if (!navigator.clipboard) return fail();
      navigator.clipboard.writeText(codeEl.textContent).then(() => status(t.copied), fail);
    });
  }
  render();
  return { open, close };
};

const init = (root) => {
  if (root.dataset.ready) return;
  root.dataset.ready = '1';
  const q = (name) => root.querySelector('[data-loyalty-' + name + ']');
  const toggle = q('toggle');
  const panel = q('panel');
  let ui;
  const flip = () => (ui = ui || setup(root, q, toggle, panel)) && (panel.hidden ? ui.open() : ui.close());
  toggle.addEventListener('click', flip);
  // "Redeem now" in the points-balance block opens this panel.
  for (const button of document.querySelectorAll('[data-loyalty-open]:not([data-ready])')) {
    button.dataset.ready = '1';
    button.hidden = false;
    button.addEventListener('click', () => panel.hidden && flip());
  }
};

const start = () => document.querySelectorAll('[data-loyalty-launcher]').forEach(init);
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
// Theme editor: re-rendered without a page load.
document.addEventListener('shopify:section:load', start);
})();
