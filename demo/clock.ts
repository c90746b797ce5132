// The demo's time machine, used only while a fresh demo shop's history is seeded: a year of orders is
// replayed in about a minute, and each webhook should reach the app "when" its order happened, so the
// ledger, the outbox (first-order checks, code windows and expiry, metafield windows) and the
// dashboard's per-day charts see the dates they would have seen in production. `Date` (what the app
// and its libraries read the time from) runs `offset` ms behind the real clock; timers and
// performance.now() are untouched. Each seeded webhook is handled at the moment Shopify triggered it
// (X-Shopify-Triggered-At, see runAt); the outbox worker runs on the shop clock, which follows the
// events. Uninstalled (the real Date back) as soon as seeding is done.

import { AsyncLocalStorage } from "node:async_hooks";

const RealDate = Date;
let offset = 0;
let installed = false;
/** A request handled "at" a given moment (runAt) sees that time instead of the shop clock. */
const moment = new AsyncLocalStorage<number>();
const simulatedNow = () => moment.getStore() ?? RealDate.now() + offset;

/** Replaces the global Date with one that reads the simulated time. Instances stay real Dates. */
export function installClock(): void {
  if (installed) return;
  installed = true;
  function DemoDate(this: unknown, ...args: unknown[]): Date | string {
    if (!new.target) return new RealDate(simulatedNow()).toString();
    return args.length === 0 ? new RealDate(simulatedNow()) : new (RealDate as unknown as new (...a: unknown[]) => Date)(...args);
  }
  DemoDate.prototype = RealDate.prototype;
  Object.defineProperties(DemoDate, {
    now: { value: simulatedNow, writable: true, configurable: true },
    parse: { value: RealDate.parse, writable: true, configurable: true },
    UTC: { value: RealDate.UTC, writable: true, configurable: true },
  });
  globalThis.Date = DemoDate as unknown as DateConstructor;
}

export function uninstallClock(): void {
  offset = 0;
  if (!installed) return;
  installed = false;
  globalThis.Date = RealDate;
}

/** The simulated time, in ms since the epoch. */
export function clockNow(): number {
  return RealDate.now() + offset;
}

/** Sets the simulated time (never later than the real one). */
export function setClock(ms: number): void {
  offset = Math.min(0, ms - RealDate.now());
}

/** Moves the simulated time forward to `ms` (never back: events overlap under concurrency). */
export function advanceClock(ms: number): void {
  if (ms > clockNow()) setClock(ms);
}

export function clockInstalled(): boolean {
  return installed;
}

/** Runs `fn` (and everything it starts) at the simulated moment `ms`; used for webhooks while seeding. */
export function runAt<T>(ms: number, fn: () => T): T {
  return installed && Number.isFinite(ms) ? moment.run(Math.min(ms, RealDate.now()), fn) : fn();
}
