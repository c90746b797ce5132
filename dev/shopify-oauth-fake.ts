// Shopify's token endpoint (POST https://{shop}/admin/oauth/access_token) for the Admin fake: the
// offline-token lifecycle a public app lives with from 2027-01-01, with the state Shopify keeps.
//
// - Expiring offline tokens: an access token lives `accessTokenLifetimeMs` (Shopify: 60 minutes), its
//   refresh token `refreshTokenLifetimeMs` (Shopify: 90 days). Answers carry `expires_in` and
//   `refresh_token_expires_in` in seconds, as Shopify's do.
//   https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/offline-access-tokens
// - Refresh rotation with the retained previous token (changelog, 2026-08-28, "More resilient
//   refreshes for expiring offline access tokens"): using the current refresh token returns a new pair
//   and keeps the token just used valid until the app first uses its replacement; using that retained
//   token again (a lost or unsaved answer) returns another new pair; anything else is `invalid_grant`.
// - Stricter than Shopify promises: each new pair revokes every earlier access token of the shop at
//   once, so a process still holding an old token sees the 401 an app must survive anyway.
// - Migration of a non-expiring token (token exchange with `subject_token_type` offline-access-token,
//   `expiring=1`): the old token stops working for the Admin API; retrying with it within 7 days returns
//   the same pair until that pair is refreshed (changelog "More resilient token exchanges when
//   migrating tokens without a user session").
// - Token exchange of a session token (the merchant opening the app) issues a fresh pair, replacing
//   whatever the shop had: the way back after `invalid_grant`.
// - `revoke(shop)`: the merchant (or Shopify) revokes the app's grant: every token of the shop stops
//   working, refreshes answer `invalid_grant`.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export interface OAuthFakeOptions {
  /** Client credentials the endpoint accepts; when omitted, any non-empty pair is accepted. */
  clientId?: string;
  clientSecret?: string;
  /** Default 3,600,000 (Shopify's 60 minutes). Tests use seconds. */
  accessTokenLifetimeMs?: number;
  /** Default 90 days. */
  refreshTokenLifetimeMs?: number;
  /**
   * From this instant non-expiring tokens are refused by the Admin API and cannot be migrated (Shopify:
   * 2027-01-01 for public apps, "Migrate to expiring offline access tokens"). Default 2027-01-01.
   */
  legacyTokensRejectedFrom?: number;
  now: () => number;
}

export interface OAuthShopSeed {
  accessToken: string;
  /** Present: the shop holds an expiring pair (a new install). Absent: a legacy non-expiring token. */
  refreshToken?: string;
  /** When the seeded access token expires (ms since epoch); default now + lifetime for an expiring pair. */
  accessTokenExpiresAt?: number;
  scope: string;
}

export interface OAuthCallRecord {
  shop: string;
  grantType: string;
  /** What the fake answered (before a lost answer was lost). */
  status: number;
  error?: string;
  lost?: boolean;
}

interface RefreshState {
  current: string;
  currentExpiresAt: number;
  /** The refresh token used last, still accepted until `current` is used. */
  retained: string | null;
  retainedExpiresAt: number;
}

interface MigrationState {
  original: string;
  at: number;
  answer: Record<string, unknown>;
  /** The pair was refreshed (or replaced): a retry with the original no longer answers. */
  consumed: boolean;
}

interface ShopTokens {
  /** access token -> expiry (ms) or null for a non-expiring token */
  access: Map<string, number | null>;
  refresh: RefreshState | null;
  migration: MigrationState | null;
  scope: string;
  revoked: boolean;
}

const MIGRATION_RETRY_WINDOW_MS = 7 * 24 * 3_600_000;
/** A used refresh token stays retrievable at most this long after its first use (changelog 2026-08-28). */
const RETAINED_REFRESH_MAX_MS = 30 * 24 * 3_600_000;
const OFFLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:offline-access-token";
const ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";
const TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";

export class OAuthFake {
  readonly calls: OAuthCallRecord[] = [];
  private readonly shops = new Map<string, ShopTokens>();
  private lostAnswers = 0;
  private heldAnswers = 0;
  private readonly held: Array<() => void> = [];
  accessTokenLifetimeMs: number;
  refreshTokenLifetimeMs: number;

  constructor(private readonly options: OAuthFakeOptions) {
    this.accessTokenLifetimeMs = options.accessTokenLifetimeMs ?? 3_600_000;
    this.refreshTokenLifetimeMs = options.refreshTokenLifetimeMs ?? 90 * 24 * 3_600_000;
  }

  seed(shop: string, seed: OAuthShopSeed): void {
    const now = this.options.now();
    const expires = seed.refreshToken ? (seed.accessTokenExpiresAt ?? now + this.accessTokenLifetimeMs) : null;
    this.shops.set(shop, {
      access: new Map([[seed.accessToken, expires]]),
      refresh: seed.refreshToken ? { current: seed.refreshToken, currentExpiresAt: now + this.refreshTokenLifetimeMs, retained: null, retainedExpiresAt: 0 } : null,
      migration: null,
      scope: seed.scope,
      revoked: false,
    });
  }

  /** Whether the Admin API accepts `token` for `shop` right now. */
  accepts(shop: string, token: string): boolean {
    const state = this.shops.get(shop);
    if (!state || state.revoked || !state.access.has(token)) return false;
    const expires = state.access.get(token);
    if (expires === null || expires === undefined) return this.options.now() < this.legacyCutoff();
    return expires > this.options.now();
  }

  private legacyCutoff(): number {
    return this.options.legacyTokensRejectedFrom ?? Date.UTC(2027, 0, 1);
  }

  /** The app's grant is revoked: tokens stop working, refreshes answer invalid_grant. */
  revoke(shop: string): void {
    const state = this.mustGet(shop);
    state.revoked = true;
    state.access.clear();
    state.refresh = null;
    state.migration = null;
  }

  /** The next `n` token-endpoint calls are carried out, then their answer is lost (a connection reset). */
  loseNextAnswers(n: number): void {
    this.lostAnswers += n;
  }

  /**
   * The next `n` token-endpoint calls are carried out, then their answer waits until releaseHeld():
   * the moment to kill the process that asked.
   */
  holdNextAnswers(n: number): void {
    this.heldAnswers += n;
  }

  /** How many answers are being held now. */
  get heldCount(): number {
    return this.held.length;
  }

  releaseHeld(): void {
    for (const release of this.held.splice(0)) release();
  }

  /** Number of successful refresh_token grants so far (all shops, or one). */
  refreshCount(shop?: string): number {
    return this.calls.filter((c) => c.grantType === "refresh_token" && c.status === 200 && (!shop || c.shop === shop)).length;
  }

  currentAccessTokens(shop: string): string[] {
    return [...this.mustGet(shop).access.keys()].filter((t) => this.accepts(shop, t));
  }

  async handle(shop: string, request: Request): Promise<Response> {
    let body: Record<string, unknown>;
    try {
      const text = await request.text();
      const type = request.headers.get("content-type") ?? "";
      body = type.includes("application/json") ? (JSON.parse(text) as Record<string, unknown>) : Object.fromEntries(new URLSearchParams(text));
    } catch {
      return this.answer(shop, "unknown", 400, { error: "invalid_request", error_description: "The request body could not be read." });
    }
    const grantType = String(body.grant_type ?? "");
    if (request.method !== "POST") return this.answer(shop, grantType, 405, { error: "invalid_request" });
    if (!body.client_id || !body.client_secret || (this.options.clientId && (body.client_id !== this.options.clientId || body.client_secret !== this.options.clientSecret))) {
      return this.answer(shop, grantType, 401, { error: "invalid_client", error_description: "Client authentication failed." });
    }
    const state = this.shops.get(shop);
    if (!state) return this.answer(shop, grantType, 400, { error: "invalid_grant", error_description: "The shop has not installed the app." });

    if (grantType === "refresh_token") return this.refresh(shop, state, String(body.refresh_token ?? ""));
    if (grantType === TOKEN_EXCHANGE && body.subject_token_type === OFFLINE_TOKEN_TYPE) return this.migrate(shop, state, String(body.subject_token ?? ""), body.expiring === "1" || body.expiring === 1);
    if (grantType === TOKEN_EXCHANGE && body.subject_token_type === ID_TOKEN_TYPE) return this.exchangeIdToken(shop, state, String(body.subject_token ?? ""), body);
    return this.answer(shop, grantType, 400, { error: "unsupported_grant_type" });
  }

  private refresh(shop: string, state: ShopTokens, token: string): Promise<Response> | Response {
    const now = this.options.now();
    const r = state.refresh;
    if (state.revoked || !r || !token) return this.invalidGrant(shop, "refresh_token");
    if (token === r.current && r.currentExpiresAt > now) {
      // The replacement is being used: the one retained before it is retired; this one is retained now,
      // for at most 30 days and never beyond its own 90-day lifetime.
      r.retained = r.current;
      r.retainedExpiresAt = Math.min(r.currentExpiresAt, now + RETAINED_REFRESH_MAX_MS);
    } else if (!(token === r.retained && r.retainedExpiresAt > now)) {
      return this.invalidGrant(shop, "refresh_token");
    }
    if (state.migration) state.migration.consumed = true;
    // Each new refresh token has its own 90-day lifetime (refresh_token_expires_in in the answer).
    return this.answer(shop, "refresh_token", 200, this.issuePair(state, now + this.refreshTokenLifetimeMs));
  }

  private migrate(shop: string, state: ShopTokens, subject: string, expiring: boolean): Response | Promise<Response> {
    const now = this.options.now();
    if (!expiring) return this.answer(shop, "migration", 400, { error: "invalid_request", error_description: "expiring=1 is required." });
    const m = state.migration;
    if (m && m.original === subject) {
      if (m.consumed || now - m.at > MIGRATION_RETRY_WINDOW_MS) return this.invalidGrant(shop, "migration");
      // An eligible retry: the same pair, the access token's expiry extended.
      const access = String(m.answer.access_token);
      state.access.set(access, now + this.accessTokenLifetimeMs);
      return this.answer(shop, "migration", 200, { ...m.answer, expires_in: Math.round(this.accessTokenLifetimeMs / 1000) });
    }
    // After the cutoff Shopify has invalidated non-expiring tokens: only the merchant can restore access.
    if (state.revoked || !state.access.has(subject) || state.access.get(subject) !== null || now >= this.legacyCutoff()) return this.invalidGrant(shop, "migration");
    const answer = this.issuePair(state, now + this.refreshTokenLifetimeMs);
    state.migration = { original: subject, at: now, answer, consumed: false };
    return this.answer(shop, "migration", 200, answer);
  }

  /**
   * The merchant opens the app: a session token (id_token) exchanged for an offline token. Checks what
   * Shopify checks: a session token signed with the app's secret (HS256), for this app (`aud`) and shop
   * (`dest`), not expired.
   * https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/token-exchange
   */
  private exchangeIdToken(shop: string, state: ShopTokens, sessionToken: string, body: Record<string, unknown>): Response | Promise<Response> {
    const invalid = () => this.answer(shop, "token_exchange", 400, { error: "invalid_subject_token" });
    if (body.requested_token_type !== OFFLINE_TOKEN_TYPE) return this.answer(shop, "token_exchange", 400, { error: "invalid_request", error_description: "this fake issues offline tokens only" });
    const [header, payload, signature] = sessionToken.split(".");
    const secret = this.options.clientSecret ?? String(body.client_secret);
    if (!header || !payload) return invalid();
    const expected = createHmac("sha256", secret).update(`${header}.${payload}`).digest();
    const given = Buffer.from(signature ?? "", "base64url");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return invalid();
    let claims: { aud?: string; dest?: string; exp?: number };
    try {
      claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as typeof claims;
    } catch {
      return invalid();
    }
    if (claims.aud !== String(body.client_id) || claims.dest !== `https://${shop}` || !claims.exp || claims.exp * 1000 < this.options.now() - 10_000) return invalid();
    state.revoked = false;
    if (state.migration) state.migration.consumed = true;
    if (body.expiring === "1") return this.answer(shop, "token_exchange", 200, this.issuePair(state, this.options.now() + this.refreshTokenLifetimeMs, { keepRetained: false }));
    const token = `shpat_${randomBytes(12).toString("hex")}`;
    state.access = new Map([[token, null]]);
    state.refresh = null;
    return this.answer(shop, "token_exchange", 200, { access_token: token, scope: state.scope });
  }

  private issuePair(state: ShopTokens, refreshExpiresAt: number, options: { keepRetained: boolean } = { keepRetained: true }): Record<string, unknown> {
    const now = this.options.now();
    const access = `shpat_${randomBytes(12).toString("hex")}`;
    const refresh = `shprt_${randomBytes(12).toString("hex")}`;
    state.access = new Map([[access, now + this.accessTokenLifetimeMs]]);
    const retained = options.keepRetained ? state.refresh : null;
    state.refresh = { current: refresh, currentExpiresAt: refreshExpiresAt, retained: retained?.retained ?? null, retainedExpiresAt: retained?.retainedExpiresAt ?? 0 };
    return {
      access_token: access,
      expires_in: Math.round(this.accessTokenLifetimeMs / 1000),
      refresh_token: refresh,
      refresh_token_expires_in: Math.max(1, Math.round((refreshExpiresAt - now) / 1000)),
      scope: state.scope,
    };
  }

  private invalidGrant(shop: string, grantType: string): Response {
    return this.answer(shop, grantType, 400, { error: "invalid_grant", error_description: "The provided authorization grant is invalid, expired, or revoked." }) as Response;
  }

  private answer(shop: string, grantType: string, status: number, body: Record<string, unknown>): Response | Promise<Response> {
    const record: OAuthCallRecord = { shop, grantType, status, ...(typeof body.error === "string" ? { error: body.error } : {}) };
    this.calls.push(record);
    if (this.lostAnswers > 0) {
      this.lostAnswers--;
      record.lost = true;
      return Promise.reject(new TypeError("fetch failed", { cause: new Error("socket hang up (shopify-oauth-fake: answer lost)") }));
    }
    const response = new Response(JSON.stringify(body), {
      status,
      headers: { "Content-Type": "application/json; charset=utf-8", "X-Request-Id": `oauth-${this.calls.length}` },
    });
    if (this.heldAnswers > 0) {
      this.heldAnswers--;
      return new Promise((resolve) => this.held.push(() => resolve(response)));
    }
    return response;
  }

  private mustGet(shop: string): ShopTokens {
    const state = this.shops.get(shop);
    if (!state) throw new Error(`shopify-oauth-fake: unknown shop ${shop}`);
    return state;
  }
}
