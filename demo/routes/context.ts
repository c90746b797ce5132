// What the demo layer's route handlers share: the demo shop, the app's database and URLs, and the
// simulator's log of webhook deliveries and results (shown on /demo/orders and after checkout).
import type { Shop } from "@prisma/client";
import type { Db } from "../../app/platform/db.server";
import { apiSecret } from "../config";
import type { SimulatorResult } from "../pages/simulator";
import type { DemoShopify } from "../shopify/shop";
import { deliverAll, type DeliveryResult, type PendingDelivery } from "../webhooks";

export interface DemoContext {
  shopify: DemoShopify;
  db: Db;
  /** The demo shop's row in the app's database, as read at start-up. */
  shopRow: Shop;
  /** The demo's public URL (links, the app's frame). */
  baseUrl: string;
  /** Where this process reaches the app (webhooks, the app proxy). */
  internalUrl: string;
  /** The route ids of the app's build. */
  appRoutes: () => string[];
  deliveries: DeliveryLog;
}

/** The simulator's last 200 deliveries and last 50 results (a redirect carries a result's id). */
export class DeliveryLog {
  readonly entries: DeliveryResult[] = [];
  private readonly results = new Map<string, SimulatorResult>();
  private resultSeq = 0;

  constructor(private readonly appUrl: string) {}

  /** Sends the webhooks to the app now (twice each with `duplicate`) and logs the answers. */
  async deliverNow(deliveries: PendingDelivery[], duplicate: boolean): Promise<DeliveryResult[]> {
    const out = await deliverAll(this.appUrl, deliveries, apiSecret(), { duplicate });
    this.record(out);
    return out;
  }

  record(out: DeliveryResult[]): void {
    this.entries.push(...out);
    if (this.entries.length > 200) this.entries.splice(0, this.entries.length - 200);
  }

  storeResult(result: SimulatorResult): string {
    const id = String(++this.resultSeq);
    this.results.set(id, result);
    if (this.results.size > 50) this.results.delete(this.results.keys().next().value!);
    return id;
  }

  result(id: string): SimulatorResult | undefined {
    return this.results.get(id);
  }
}
