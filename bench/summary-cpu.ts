// The shopper summary (what GET /apps/loyalty/balance answers) and its active-codes query, in one
// process, one call after another, alternating blocks: time and CPU per call. The HTTP figures of
// bench/storefront.ts move with whatever else runs on the machine; this isolates what the codes query
// adds to the answer. Run by bench/storefront.ts in a child process whose environment names the
// benchmark's seeded database; prints its rows as one JSON line.
import { performance } from "node:perf_hooks";
import prisma from "../app/db.server";
import { memberActiveCodes, shopperSummary } from "../app/features/shopper/summary.server";
import { percentile } from "./lib";

const BLOCKS = 6;
const PER_BLOCK = 300;

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const shop = await prisma.shop.findFirstOrThrow();
const members = await prisma.customer.findMany({ where: { shopId: shop.id }, select: { id: true, shopifyCustomerId: true } });
const work = {
  "shopper summary (every query of the balance answer)": (i: number) => shopperSummary(shop.id, members[i % members.length]!.shopifyCustomerId),
  "its active-codes query alone": (i: number) => memberActiveCodes(shop.id, members[i % members.length]!.id, new Date()),
};
const names = Object.keys(work) as (keyof typeof work)[];
const times = new Map(names.map((name) => [name, [] as number[]]));
const cpu = new Map(names.map((name) => [name, [] as number[]]));
let listed = 0;
for (let i = 0; i < 100; i++) for (const name of names) await work[name](i); // warm up
for (let block = 0; block < BLOCKS; block++) {
  for (const name of block % 2 === 0 ? names : [...names].reverse()) {
    const cpuStart = cpuMs();
    for (let i = 0; i < PER_BLOCK; i++) {
      const start = performance.now();
      const result = await work[name](block * PER_BLOCK + i);
      times.get(name)!.push(performance.now() - start);
      if (Array.isArray(result)) listed += result.length;
    }
    cpu.get(name)!.push((cpuMs() - cpuStart) / PER_BLOCK);
  }
}
const rows = names.map((name) => {
  const sorted = [...times.get(name)!].sort((a, b) => a - b);
  return {
    work: name,
    calls: sorted.length,
    "p50 ms": Number(percentile(sorted, 50).toFixed(3)),
    "p99 ms": Number(percentile(sorted, 99).toFixed(3)),
    "CPU ms/call (median of blocks)": Number(median(cpu.get(name)!).toFixed(3)),
  };
});
if (listed !== 2 * BLOCKS * PER_BLOCK) throw new Error(`expected 2 active codes per member, listed ${listed / (BLOCKS * PER_BLOCK)} on average`);
console.log(JSON.stringify(rows));
await prisma.$disconnect();
process.exit(0);
