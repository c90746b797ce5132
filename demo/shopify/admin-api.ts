// The demo shop's Admin API: the stateful fake of dev/shopify-admin-fake (customers with their order
// counts, the discount codes and metafields the app creates through it), installed in the app's fetch
// seam as production's would be. The app's successful writes are recorded in the state file and
// replayed into a fresh fake at start-up, so a restart keeps them.
import { abstractFetch, setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { createShopifyAdminFake, type ShopifyAdminFake } from "../../dev/shopify-admin-fake";
import { DEMO_ACCESS_TOKEN, DEMO_SHOP } from "../config";
import { gid } from "./model";
import type { DemoStateFile } from "./state-file";

export class DemoAdminApi {
  readonly fake: ShopifyAdminFake;
  private uninstall: (() => void) | null = null;
  private readonly replayKeys = new Map<string, string>();
  private readonly countReads = new Set<string>();
  private cursor = 0;

  constructor(
    private readonly file: DemoStateFile,
    private readonly scopes: string[],
    app: { apiKey: string; apiSecret: string },
  ) {
    // A bucket larger than the fake's default (2000 points, 100/s) so a year of history is not
    // throttled while it is replayed in a minute; the worker's pacing still applies.
    this.fake = createShopifyAdminFake({ oauth: { clientId: app.apiKey, clientSecret: app.apiSecret } });
    this.fake.addShop(DEMO_SHOP, { accessToken: DEMO_ACCESS_TOKEN, scopes: this.scopes, bucket: { maximumAvailable: 20_000, restoreRate: 1_000 } });
  }

  /**
   * Routes the app's calls to Shopify through the fake: the Admin API and the token endpoint (token
   * exchange on install, refreshes of the expiring offline token, dev/shopify-oauth-fake.ts).
   * Call after the server build was imported (its adapter sets the fetch the fake replaces).
   */
  install(): void {
    const original = abstractFetch;
    this.fake.install();
    this.uninstall = () => setAbstractFetchFunc(original);
  }

  /**
   * The tokens Shopify issued in an earlier run of the demo (the app stored them): the fake's token
   * state lives in memory, so a restart would otherwise forget them and the app would need re-authorising.
   */
  rememberTokens(tokens: { accessToken: string; refreshToken: string | null; expires: Date | null }): void {
    if (!tokens.accessToken) return;
    this.fake.oauth.seed(DEMO_SHOP, {
      accessToken: tokens.accessToken,
      ...(tokens.refreshToken && tokens.expires ? { refreshToken: tokens.refreshToken, accessTokenExpiresAt: tokens.expires.getTime() } : {}),
      scope: this.scopes.join(","),
    });
  }

  /** Puts the fetch seam back as it was before install(). */
  uninstallFetch(): void {
    this.uninstall?.();
  }

  /** Forgets the recorded writes (the state was reset). */
  forgetWrites(): void {
    this.replayKeys.clear();
  }

  /** Puts the customers and the app's earlier Admin API writes back into the fresh fake. */
  async restore(): Promise<{ customers: number; replayed: number; failed: number }> {
    for (const c of this.file.state.customers) this.fake.seedCustomer(DEMO_SHOP, { id: gid(c.id), numberOfOrders: c.numberOfOrders });
    const client = this.fake.client(DEMO_SHOP);
    let replayed = 0;
    let failed = 0;
    for (const { key, body } of this.file.state.replay) {
      this.replayKeys.set(key, body);
      const { query, variables } = JSON.parse(body) as { query: string; variables?: Record<string, unknown> };
      const response = await client(query, variables ? { variables } : {});
      if (response.ok) replayed += 1;
      else failed += 1;
    }
    this.fake.clearRequests();
    this.cursor = 0;
    return { customers: this.file.state.customers.length, replayed, failed };
  }

  /**
   * Records the app's successful Admin API writes (discount codes, metafields, definitions) so a
   * restart can replay them, and which customers' order counts the app has read (the first-order
   * check). Called every second and by the seeder; clears the fake's request log once it is read.
   */
  collectAdminWrites(): number {
    const records = this.fake.requests;
    let kept = 0;
    let i = this.cursor;
    for (; i < records.length; i++) {
      const r = records[i]!;
      if (r.outcome === undefined) break; // still in flight: read it next time
      if (r.outcome !== "ok") continue;
      if (r.operationType === "query" && r.rootFields.includes("customer") && typeof r.variables?.id === "string") this.countReads.add(r.variables.id);
      if (r.operationType !== "mutation") continue;
      const data = (r.responseBody as { data?: Record<string, { userErrors?: unknown[] } | null> } | undefined)?.data ?? {};
      for (const field of r.rootFields) {
        const payload = data[field];
        if (!payload || (Array.isArray(payload.userErrors) && payload.userErrors.length > 0)) continue;
        const key = replayKey(field, r.variables ?? {}, r.seq);
        if (!key) continue;
        this.replayKeys.delete(key);
        this.replayKeys.set(key, r.rawBody);
        kept += 1;
      }
    }
    this.cursor = i;
    if (this.cursor === records.length) {
      this.fake.clearRequests();
      this.cursor = 0;
    }
    if (kept > 0) {
      this.file.state.replay = [...this.replayKeys].map(([key, body]) => ({ key, body }));
      this.file.scheduleSave();
    }
    return kept;
  }

  /** Has the app asked Shopify for this customer's order count (its first-order check) since start-up? */
  hasReadOrderCount(customerId: number): boolean {
    this.collectAdminWrites();
    return this.countReads.has(gid(customerId));
  }
}

/** Which earlier write a mutation replaces when replayed (the last metafield value per owner wins). */
function replayKey(field: string, variables: Record<string, unknown>, seq: number): string | null {
  if (field === "discountCodeBasicCreate" || field === "discountCodeFreeShippingCreate") {
    const input = (variables.basicCodeDiscount ?? variables.freeShippingCodeDiscount) as { code?: string } | undefined;
    return `discount:${(input?.code ?? String(seq)).toUpperCase()}`;
  }
  if (field === "metafieldsSet") {
    const list = (variables.metafields as { ownerId?: string; namespace?: string; key?: string }[] | undefined) ?? [];
    return list.length === 1 ? `metafield:${list[0]!.ownerId}:${list[0]!.namespace}:${list[0]!.key}` : `metafields:${seq}`;
  }
  if (field === "metafieldDefinitionCreate") return `definition:${seq}`;
  return null;
}
