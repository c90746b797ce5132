// The demo shop's state and where it is kept: a JSON file next to the SQLite database, so a restart
// (or a second `npm run demo`) finds the same shop. Saves are batched (300 ms) and atomic (rename).
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { databaseTarget } from "../../app/platform/db-target";
import { ROOT, readJsonFile } from "../config";
import { FIRST_CUSTOMER_ID, FIRST_ORDER_NUMBER, type DemoCustomer, type DemoOrder } from "./model";

export interface DemoState {
  version: 1;
  /** The app's Shop row this state belongs to (a re-created database gets a fresh state). */
  shopRowId: string | null;
  seeded: boolean;
  nextCustomerId: number;
  nextOrderNumber: number;
  nextRefundId: number;
  customers: DemoCustomer[];
  orders: DemoOrder[];
  /** Admin API mutations the app made, in order (compacted): replayed into a fresh fake at start-up. */
  replay: { key: string; body: string }[];
}

function emptyState(): DemoState {
  return { version: 1, shopRowId: null, seeded: false, nextCustomerId: FIRST_CUSTOMER_ID, nextOrderNumber: FIRST_ORDER_NUMBER, nextRefundId: 1, customers: [], orders: [], replay: [] };
}

/** Next to the SQLite file (prisma/dev.sqlite -> prisma/dev.sqlite.demo-shopify.json, git-ignored with it). */
export function stateFileFor(databaseUrl: string | undefined): string {
  const target = databaseTarget(databaseUrl);
  if (target.provider === "sqlite") return `${target.file}.demo-shopify.json`;
  const name = new URL(target.url).pathname.replace(/\W+/g, "_") || "postgres";
  return path.join(ROOT, "demo", ".state", `${name}.demo-shopify.json`);
}

export class DemoStateFile {
  /** The current state; replaced whole by reset(). */
  state: DemoState;
  private saveTimer: NodeJS.Timeout | null = null;

  constructor(readonly file: string) {
    this.state = readJsonFile<DemoState>(file) ?? emptyState();
    if (this.state.version !== 1) this.state = emptyState();
  }

  /** Starts over with an empty state for this Shop row, saved now. */
  reset(shopRowId: string | null): void {
    this.state = { ...emptyState(), shopRowId };
    this.saveNow();
  }

  scheduleSave(): void {
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      this.saveNow();
    }, 300);
    this.saveTimer.unref();
  }

  saveNow(): void {
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = null;
    }
    const dir = path.dirname(this.file);
    if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.state));
    renameSync(tmp, this.file);
  }
}
