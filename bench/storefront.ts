// Storefront costs: the theme extension's JS/CSS as shoppers download them (gzip), and the app proxy's
// GET /apps/loyalty/balance answer time under load (signed like Shopify signs it), for members with
// ledger history and codes (two still usable, one used, one expired).
import { readFileSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { createHmac } from "node:crypto";
import { execFileSync } from "node:child_process";
import { runLoad, startApp, table } from "./lib";
import { createPrismaClient } from "../app/platform/db.server";
import { appendEntries } from "../app/ledger/ledger.server";
import { TEST_API_SECRET, TEST_SHOP, testEnv } from "../dev/harness/test-env";

const root = path.resolve(import.meta.dirname, "..");

export function extensionAssetSizes(): Record<string, string | number>[] {
  const dir = path.join(root, "extensions/loyalty-theme/assets");
  return readdirSync(dir).map((file) => {
    const bytes = readFileSync(path.join(dir, file));
    return { asset: file, "raw bytes": bytes.length, "gzip bytes": gzipSync(bytes, { level: 9 }).length };
  });
}

export function signedProxyUrl(base: string, pathname: string, customer: number): string {
  const params: Record<string, string> = { shop: TEST_SHOP, path_prefix: "/apps/loyalty", timestamp: String(Math.trunc(Date.now() / 1000)), logged_in_customer_id: String(customer) };
  const message = Object.keys(params)
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join("");
  const signature = createHmac("sha256", TEST_API_SECRET).update(message).digest("hex");
  return `${base}${pathname}?${new URLSearchParams({ ...params, signature })}`;
}

export async function benchProxy(seconds: number): Promise<{ http: Record<string, string | number>[]; summary: Record<string, string | number>[] }> {
  const app = await startApp({ LOG_LEVEL: "error", WORKER_MODE: "off" });
  try {
    const db = createPrismaClient(app.databaseUrl);
    const shop = await db.shop.create({ data: { domain: TEST_SHOP } });
    await db.reward.createMany({ data: [500, 800, 1500].map((cost) => ({ shopId: shop.id, name: `${cost} reward`, pointsCost: cost, discountType: "fixed_amount", value: String(cost / 100) })) });
    const now = Date.now();
    const day = 86_400_000;
    for (let i = 0; i < 200; i++) {
      const c = await db.customer.create({ data: { shopId: shop.id, shopifyCustomerId: `gid://shopify/Customer/${70_000 + i}` } });
      await db.$transaction((tx) =>
        appendEntries(
          tx,
          Array.from({ length: 10 }, (_, k) => ({ shopId: shop.id, customerId: c.id, points: 50 + k, kind: "manual" as const, availableAt: new Date(), idempotencyKey: `seed:${c.id}:${k}`, actor: "bench" })),
        ),
      );
      // What a member holds after a while: a welcome code and a reward code still to use (the panel's
      // "Your codes"), one used by an order and one expired (the query must leave both out).
      const terms = (title: string, discountType: string, value: string) =>
        JSON.stringify({ title, discountType, value, minSubtotal: null, combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: true } });
      await db.issuedCode.createMany({
        data: [
          { code: `WELCOME-B${i}`, source: "welcome", status: "issued", rewardSnapshot: terms("Thank you for your first order", "percentage", "10"), startsAt: new Date(now - day), endsAt: new Date(now + 20 * day) },
          { code: `REWARD-A${i}`, source: "redemption", status: "issued", rewardSnapshot: terms("$5 off", "fixed_amount", "5.00"), startsAt: new Date(now - day), endsAt: new Date(now + 25 * day), pointsSpent: 500 },
          { code: `REWARD-U${i}`, source: "redemption", status: "used", rewardSnapshot: terms("$5 off", "fixed_amount", "5.00"), startsAt: new Date(now - 9 * day), endsAt: new Date(now + 21 * day), pointsSpent: 500 },
          {
            code: `REWARD-E${i}`,
            source: "redemption",
            status: "expired",
            rewardSnapshot: terms("$5 off", "fixed_amount", "5.00"),
            startsAt: new Date(now - 40 * day),
            endsAt: new Date(now - 10 * day),
            pointsSpent: 500,
          },
        ].map((code) => ({ ...code, shopId: shop.id, customerId: c.id })),
      });
    }
    await db.$disconnect();
    let n = 0;
    const make = () => ({ url: signedProxyUrl(app.url, "/proxy/balance", 70_000 + (n++ % 200)), init: {} });
    await runLoad(make, 4, 2);
    const rows: Record<string, string | number>[] = [];
    for (const concurrency of [1, 10]) {
      const cpuBefore = processCpuMs(app.pid());
      const r = await runLoad(make, concurrency, seconds);
      // The server's CPU time per answer barely moves when other processes share the cores, unlike answer times.
      const cpuPerAnswer = (processCpuMs(app.pid()) - cpuBefore) / Math.max(1, r.requests);
      rows.push({
        endpoint: "GET /apps/loyalty/balance",
        senders: concurrency,
        requests: r.requests,
        errors: r.errors,
        "req/s": r.perSecond,
        "p50 ms": r.p50,
        "p99 ms": r.p99,
        "server CPU ms/answer": Number.isFinite(cpuPerAnswer) ? Number(cpuPerAnswer.toFixed(2)) : "n/a",
      });
      console.log(`proxy balance x${concurrency}: ${r.perSecond.toFixed(0)}/s p50 ${r.p50.toFixed(1)} ms p99 ${r.p99.toFixed(1)} ms, server CPU ${cpuPerAnswer.toFixed(2)} ms/answer, load ${os.loadavg()[0]!.toFixed(1)}`);
    }
    // The summary and its codes query alone, in one process (bench/summary-cpu.ts).
    const out = execFileSync(process.execPath, ["--import", "tsx", "bench/summary-cpu.ts"], {
      cwd: root,
      env: { ...process.env, ...testEnv(app.databaseUrl), LOG_LEVEL: "error" },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    });
    const summary = JSON.parse(out.trim().split("\n").at(-1)!) as Record<string, string | number>[];
    for (const row of summary) console.log(`${row.work}: p50 ${row["p50 ms"]} ms p99 ${row["p99 ms"]} ms, CPU ${row["CPU ms/call (median of blocks)"]} ms/call`);
    return { http: rows, summary };
  } finally {
    await app.stop();
  }
}

/** User + system CPU time of a process so far (Linux /proc; NaN elsewhere). */
function processCpuMs(pid: number | undefined): number {
  try {
    // Fields 14 and 15 of /proc/<pid>/stat, after the parenthesised command name: utime and stime in clock ticks (100 a second on Linux).
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

export { table };
