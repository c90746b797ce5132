// Expiring offline access tokens for everything the app does without a merchant present (outbox jobs,
// metafield sync, shop setup): one valid token per shop, refreshed once per expiry across every web
// and worker process.
// Data access: Prisma models.
//
// Shopify's rules (https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/offline-access-tokens,
// changelog 2026-08-28 "More resilient refreshes for expiring offline access tokens"):
// - an access token lives 60 minutes, its refresh token 90 days; public apps must use them from
//   2027-01-01, when non-expiring tokens stop working;
// - every refresh returns a new pair; the refresh token just used stays usable until the app first uses
//   its replacement, so a refresh whose answer was lost or not saved is retried with the stored token;
// - `invalid_grant`: the grant is revoked or the refresh token expired; only the merchant can restore
//   access, by opening the app (token exchange).
//
// How the app keeps them (docs/decisions/016-expiring-offline-tokens.md):
// - a token is renewed `refreshMarginMs` before it expires (10 minutes by default, more than the 5
//   minutes at which shopify-app-remix would refresh on its own, uncoordinated, in the app proxy);
// - one process per shop renews, under a lease in the Shop row (like job leases); the others wait and
//   read the stored result; a process killed mid-refresh leaves a lease that expires;
// - the new pair is written in one conditional update of the session row (only over the pair that was
//   used), so a pair stored meanwhile by the merchant's token exchange is never overwritten;
// - `invalid_grant` marks the shop "needs re-authorisation" and empties the stored access token, so the
//   next admin page load makes shopify-app-remix exchange a new pair; the afterAuth hook then clears
//   the mark and the parked jobs resume (app/outbox/outbox.server.ts);
// - a legacy non-expiring token is migrated with Shopify's token exchange (migrateToExpiringToken),
//   under the same lease; a lost migration answer is retried with the original token.
import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import { HttpResponseError, type Session } from "@shopify/shopify-api";
import type { Db } from "../platform/db.server";
import { log } from "../platform/logger.server";
import { AdminAuthError, AdminTransientError } from "./admin-errors";

/**
 * Shopify refused the shop's grant (or there is none): only the merchant opening the app restores it.
 * An AdminAuthError, so the Admin gateway passes it through unchanged when a client throws it mid-call.
 */
export class ReauthorizationRequired extends AdminAuthError {
  override readonly name = "ReauthorizationRequired";
  constructor(
    readonly shop: string,
    readonly reason: string,
  ) {
    super(`${shop} needs re-authorisation: ${reason}`);
  }
}

/** The parts of @shopify/shopify-api's `auth` this module calls. */
export interface TokenGrantApi {
  refreshToken(params: { shop: string; refreshToken: string }): Promise<{ session: Session }>;
  migrateToExpiringToken(params: { shop: string; nonExpiringOfflineAccessToken: string }): Promise<{ session: Session }>;
}

export interface OfflineTokensOptions {
  db: Db;
  auth: TokenGrantApi;
  /** The offline session as shopify-app-remix stored it (PrismaSessionStorage.loadSession). */
  loadSession: (id: string) => Promise<Session | undefined>;
  offlineSessionId: (shop: string) => string;
  /** Renew this long before the access token expires. */
  refreshMarginMs: number;
}

export interface OfflineTokens {
  /**
   * The shop's offline session with an access token valid for at least the refresh margin, renewed if
   * needed. `rejectedAccessToken`: Shopify just answered 401 to this token; renew it even if it looks
   * valid (unless another process already replaced it). Throws ReauthorizationRequired, or an
   * AdminTransientError when the token endpoint could not be reached (retry later).
   */
  validSession(shop: string, options?: { rejectedAccessToken?: string }): Promise<Session>;
  /** Whether `session` still has the margin left (no database read). */
  isFresh(session: Session): boolean;
  /** Renews every offline token that is due (or legacy): the scheduled sweep. Returns shops renewed. */
  renewDue(): Promise<number>;
}

// Kept well under a job's 60 s lease: a job that waits for a renewal (up to WAIT_MS), then renews
// itself (up to CALL_TIMEOUT_MS), must not outlive its lease and be run a second time elsewhere.
/**
 * A refresh call that has not answered after this long is abandoned and retried later (the request
 * may still complete at Shopify: the stored refresh token stays usable, so the retry is safe).
 */
const CALL_TIMEOUT_MS = 10_000;
/** How long a renewal lease lasts; a process killed while holding it blocks others this long at most. */
const LEASE_MS = CALL_TIMEOUT_MS + 5_000;
/** How long a caller waits for another process's renewal before giving up for now. */
const WAIT_MS = LEASE_MS + 1_000;
const POLL_MS = 100;
/** Sessions one sweep looks at, soonest expiry first (the next sweep, 30 s later, takes the rest). */
const SWEEP_LIMIT = 200;

export function createOfflineTokens(options: OfflineTokensOptions): OfflineTokens {
  const { db, auth } = options;
  const now = Date.now;
  const owner = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;

  type Renewal = "refresh" | "migrate" | "reauth" | null;
  const NO_REFRESH_TOKEN = "the stored token has expired and has no refresh token";
  function renewalNeeded(session: Session, rejected?: string): Renewal {
    // A legacy non-expiring token is migrated (Shopify's token exchange with expiring=1).
    if (!session.expires) return "migrate";
    const due = session.expires.getTime() - now() < options.refreshMarginMs || session.accessToken === rejected;
    if (!due) return null;
    return session.refreshToken ? "refresh" : "reauth";
  }

  async function authLost(shop: string): Promise<string | null> {
    const row = await db.shop.findUnique({ where: { domain: shop }, select: { adminAuthLostAt: true, adminAuthLostReason: true } });
    return row?.adminAuthLostAt ? (row.adminAuthLostReason ?? "access revoked") : null;
  }

  async function takeLease(shop: string): Promise<boolean> {
    const at = new Date(now());
    const { count } = await db.shop.updateMany({
      where: { domain: shop, OR: [{ adminTokenLeaseUntil: null }, { adminTokenLeaseUntil: { lt: at } }] },
      data: { adminTokenLeaseOwner: owner, adminTokenLeaseUntil: new Date(at.getTime() + LEASE_MS) },
    });
    if (count === 1) return true;
    // No Shop row (its afterAuth never finished): nobody could ever take the lease; do not wait for one.
    if ((await db.shop.count({ where: { domain: shop } })) === 0) throw new ReauthorizationRequired(shop, "the shop is not set up: the merchant must open the app");
    return false;
  }

  async function releaseLease(shop: string): Promise<void> {
    await db.shop
      .updateMany({ where: { domain: shop, adminTokenLeaseOwner: owner }, data: { adminTokenLeaseOwner: null, adminTokenLeaseUntil: null } })
      .catch((error: unknown) => log.warn("could not release the token lease (it expires by itself)", { shop, error: String(error) }));
  }

  /**
   * Marks the shop "needs re-authorisation" and empties the stored token (an empty token is not
   * "active" for shopify-app-remix: the next admin page load exchanges a new pair), only if the stored
   * token is still `refusedToken` (null: no session): a pair the merchant's token exchange stored
   * meanwhile wins, and the caller reads it ("retry").
   */
  async function markAuthLost(shop: string, sessionId: string, refusedToken: string | null, reason: string): Promise<"marked" | "retry"> {
    const outcome = await db.$transaction(async (tx) => {
      if (refusedToken === null) {
        if ((await tx.session.count({ where: { id: sessionId, NOT: { accessToken: "" } } })) > 0) return "retry" as const;
      } else {
        const { count } = await tx.session.updateMany({
          where: { id: sessionId, accessToken: refusedToken },
          data: { accessToken: "", expires: new Date(0), refreshToken: null, refreshTokenExpires: null },
        });
        if (count === 0) return "retry" as const;
      }
      await tx.shop.updateMany({ where: { domain: shop }, data: { adminAuthLostAt: new Date(now()), adminAuthLostReason: reason.slice(0, 500) } });
      return "marked" as const;
    });
    if (outcome === "marked" && refusedToken !== null) log.warn("Shopify refused the shop's offline grant: jobs wait until the merchant opens the app", { shop, reason });
    // No token stored yet (a first install still under way, or the app was uninstalled): nothing alarming.
    else if (outcome === "marked") log.info("no offline token stored for the shop: its jobs wait until the app is opened", { shop });
    return outcome;
  }

  function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new AdminTransientError(`${what}: no answer after ${CALL_TIMEOUT_MS} ms`, { reason: "timeout", operation: what })), CALL_TIMEOUT_MS);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }

  /** The grant is gone for good (as opposed to a network error or a 5xx, which are retried). */
  function refusedGrant(error: unknown): string | null {
    // `instanceof` alone leaves the generic class's response typed `any`: read it as the default response shape.
    const response = error instanceof HttpResponseError ? (error as HttpResponseError).response : null;
    if (response?.code !== 400) return null;
    const body = response.body as { error?: unknown; error_description?: unknown } | undefined;
    const code = typeof body?.error === "string" ? body.error : "";
    if (code !== "invalid_grant" && code !== "invalid_subject_token") return null;
    return typeof body?.error_description === "string" ? `${code}: ${body.error_description}` : code;
  }

  /** Runs under the lease: asks Shopify for a new pair and stores it over the one it replaces. */
  async function renew(shop: string, session: Session, kind: "refresh" | "migrate"): Promise<Session | "retry"> {
    const what = kind === "refresh" ? "offline token refresh" : "offline token migration";
    let fresh: Session;
    try {
      const call = kind === "refresh" ? auth.refreshToken({ shop, refreshToken: session.refreshToken! }) : auth.migrateToExpiringToken({ shop, nonExpiringOfflineAccessToken: session.accessToken! });
      fresh = (await withTimeout(call, what)).session;
    } catch (error) {
      const refused = refusedGrant(error);
      if (refused === null) {
        if (error instanceof AdminTransientError) throw error;
        // Lost answer, 5xx, network: the stored token is still the one to retry with (Shopify keeps it).
        throw new AdminTransientError(`${what} failed: ${error instanceof Error ? error.message : String(error)}`, { reason: "network", operation: what, cause: error });
      }
      // Refused, but the merchant may have stored a new pair meanwhile: then that one counts.
      if ((await markAuthLost(shop, session.id, session.accessToken!, refused)) === "retry") return "retry";
      throw new ReauthorizationRequired(shop, refused);
    }
    const data = {
      accessToken: fresh.accessToken!,
      expires: fresh.expires ?? null,
      refreshToken: fresh.refreshToken ?? null,
      refreshTokenExpires: fresh.refreshTokenExpires ?? null,
      ...(fresh.scope ? { scope: fresh.scope } : {}),
    };
    // Only over the pair that was used: a pair the merchant's token exchange stored meanwhile wins.
    const { count } = await db.session.updateMany({ where: { id: session.id, accessToken: session.accessToken! }, data });
    if (count === 0) return "retry";
    log.info(kind === "refresh" ? "offline token refreshed" : "offline token migrated to an expiring token", { shop, expires: data.expires?.toISOString() });
    return Object.assign(fresh, { id: session.id });
  }

  /** The stored session, or ReauthorizationRequired (the shop marked, so its parked jobs resume after afterAuth). */
  async function currentSession(shop: string): Promise<Session> {
    for (;;) {
      const lost = await authLost(shop);
      if (lost) throw new ReauthorizationRequired(shop, lost);
      const id = options.offlineSessionId(shop);
      const session = await options.loadSession(id);
      if (session?.accessToken) return session;
      const reason = "no offline access token stored: the merchant must open the app";
      if ((await markAuthLost(shop, id, null, reason)) === "marked") throw new ReauthorizationRequired(shop, reason);
    }
  }

  /** The expired-without-refresh-token case: nothing to renew with (throws ReauthorizationRequired, or "retry"). */
  async function refuseWithoutRefreshToken(shop: string, session: Session): Promise<"retry"> {
    if ((await markAuthLost(shop, session.id, session.accessToken!, NO_REFRESH_TOKEN)) === "retry") return "retry";
    throw new ReauthorizationRequired(shop, NO_REFRESH_TOKEN);
  }

  /**
   * The renewal itself, once per shop across processes: take the lease, or wait for its holder and read
   * what it stored (`wait: false`: give up at once, the holder renews).
   */
  async function renewAcrossProcesses(shop: string, rejected: string | undefined, wait: boolean): Promise<Session | null> {
    const deadline = now() + WAIT_MS;
    for (;;) {
      if (await takeLease(shop)) {
        try {
          // Read under the lease: the previous holder may have just stored a new pair.
          const session = await currentSession(shop);
          const needed = renewalNeeded(session, rejected);
          if (needed === null) return session;
          const renewed = needed === "reauth" ? await refuseWithoutRefreshToken(shop, session) : await renew(shop, session, needed);
          if (renewed !== "retry") return renewed;
        } finally {
          await releaseLease(shop);
        }
        continue;
      }
      if (!wait) return null;
      const session = await currentSession(shop);
      if (renewalNeeded(session, rejected) === null) return session;
      if (now() > deadline) {
        throw new AdminTransientError(`offline token for ${shop} is being renewed by another process; still waiting after ${WAIT_MS} ms`, { reason: "timeout", operation: "offline token refresh" });
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  // Callers of one process share one renewal per shop (the lease is per process, not per caller).
  const renewing = new Map<string, Promise<Session>>();

  async function validSession(shop: string, callOptions: { rejectedAccessToken?: string } = {}): Promise<Session> {
    const session = await currentSession(shop);
    if (renewalNeeded(session, callOptions.rejectedAccessToken) === null) return session;
    let pending = renewing.get(shop);
    if (!pending) {
      pending = renewAcrossProcesses(shop, callOptions.rejectedAccessToken, true)
        .then((s) => s!)
        .finally(() => renewing.delete(shop));
      renewing.set(shop, pending);
    }
    return pending;
  }

  /**
   * The scheduled sweep: tokens expiring within the margin (soonest first) and legacy tokens, of shops
   * installed and not marked; a shop another process is renewing is skipped, not waited for. Counts
   * only the renewals this process made.
   */
  async function renewDue(): Promise<number> {
    const soon = new Date(now() + options.refreshMarginMs);
    const due = await db.session.findMany({
      where: { isOnline: false, NOT: { accessToken: "" }, OR: [{ expires: { lt: soon } }, { expires: null }] },
      select: { shop: true, accessToken: true },
      orderBy: { expires: "asc" },
      take: SWEEP_LIMIT,
    });
    const shops = new Set((await db.shop.findMany({ where: { domain: { in: due.map((d) => d.shop) }, adminAuthLostAt: null, uninstalledAt: null }, select: { domain: true } })).map((s) => s.domain));
    let renewed = 0;
    for (const { shop, accessToken } of due) {
      if (!shops.has(shop) || renewing.has(shop)) continue;
      try {
        const session = await renewAcrossProcesses(shop, undefined, false);
        if (session && session.accessToken !== accessToken) renewed++;
      } catch (error) {
        if (!(error instanceof ReauthorizationRequired)) log.warn("offline token renewal failed; retried on the next sweep", { shop, error: String(error) });
      }
    }
    return renewed;
  }

  return {
    validSession,
    isFresh: (session) => renewalNeeded(session) === null,
    renewDue,
  };
}
