// CPU time per delivery of the webhook path, in one process, one delivery after another: the route's
// work (Shopify's HMAC check, JSON.parse, zod, the inbox insert: answerWebhook) and the applier's
// (applyReceivedWebhooks), per topic and payload shape. CPU time of a sequential loop barely moves
// when other processes share the cores, unlike answer times, so it is the steadier of the two
// comparisons on a busy machine. Run by bench/webhooks.ts (BENCH_PAYLOAD=paired) in a child process
// whose environment names a fresh, migrated database; prints its rows as one JSON line.
import { answerWebhook } from "../app/webhooks/receive.server";
import { WEBHOOK_HANDLERS } from "../app/webhooks/handlers.server";
import { applyReceivedWebhooks } from "../app/webhooks/inbox.server";
import prisma from "../app/db.server";
import { deliveryBody, type PayloadShape } from "./load";
import { webhookHeaders } from "../dev/shopify-requests";
import { TEST_APP_URL } from "../dev/harness/test-env";

const shapes = (process.env.BENCH_CPU_SHAPES ?? "full,filtered").split(",") as PayloadShape[];
const BLOCKS = 6;
const PER_BLOCK = 200;
const topics = ["orders/paid", "refunds/create", "orders/cancelled"] as const;

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

let n = 0;
const samples = new Map<string, { route: number[]; apply: number[] }>();
for (let block = 0; block < BLOCKS; block++) {
  // Alternating order (AB, BA, ...) so neither shape always runs first.
  for (const shape of block % 2 === 0 ? shapes : [...shapes].reverse()) {
    for (const topic of topics) {
      const deliveries = Array.from({ length: PER_BLOCK }, () => {
        const i = ++n;
        const body = deliveryBody(topic, shape, 40_000_000 + i, 80_000 + (i % 300), 95_000_000 + i);
        return { body, headers: Object.entries(webhookHeaders(topic, body, { webhookId: `cpu-${i}` })) };
      });
      const handler = WEBHOOK_HANDLERS[topic]!;
      const routeStart = cpuMs();
      for (const d of deliveries) {
        const answer = await answerWebhook({ method: "POST", url: `${TEST_APP_URL}/webhooks/${topic}`, headers: d.headers, rawBody: d.body }, handler);
        if (answer.status !== 200) throw new Error(`${topic} ${shape}: ${answer.status} ${JSON.stringify(answer.body)}`);
      }
      const routeMs = cpuMs() - routeStart;
      const applyStart = cpuMs();
      while ((await applyReceivedWebhooks(prisma)) > 0);
      const applyMs = cpuMs() - applyStart;
      const key = `${topic}|${shape}`;
      if (!samples.has(key)) samples.set(key, { route: [], apply: [] });
      samples.get(key)!.route.push((routeMs * 1000) / PER_BLOCK);
      samples.get(key)!.apply.push((applyMs * 1000) / PER_BLOCK);
    }
  }
}
const rows = [...samples].map(([key, s]) => {
  const [topic, payload] = key.split("|");
  return { topic: topic!, payload: payload!, blocks: s.route.length, "route CPU µs/delivery (median)": median(s.route), "apply CPU µs/delivery (median)": median(s.apply) };
});
console.log(JSON.stringify(rows));
await prisma.$disconnect();
process.exit(0);
