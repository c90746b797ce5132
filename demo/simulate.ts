// The order simulator from a terminal. The running demo (npm run demo) plays Shopify's part for the
// shop's state (order numbers, customers' order counts, discount codes); this command gets the
// resulting webhooks from it and delivers them to the app itself, signed with the app's secret from
// .env, exactly like the simulator page does.
//
//   npx tsx demo/simulate.ts place --customer 1001 --amount 45.00 [--code WELCOME-XXXX] [--duplicate] [--out-of-order]
//   npx tsx demo/simulate.ts place --customer new --amount 120
//   npx tsx demo/simulate.ts refund --order 1042 --amount 10 [--duplicate] [--out-of-order]
//   npx tsx demo/simulate.ts cancel --order 1042 [--duplicate] [--out-of-order]
//   npx tsx demo/simulate.ts deliver-held --order 1042
//
// --duplicate delivers every webhook twice with the same X-Shopify-Webhook-Id (Shopify retries);
// --out-of-order holds this event's webhook back until the next event of the same order.
// --url http://localhost:3000 (default: DEMO_URL, else http://localhost:$PORT).
import { parseArgs } from "node:util";
import { apiSecret, demoBaseUrl, loadDemoEnv } from "./config";
import { deliverAll, describeResult, post, type PendingDelivery } from "./webhooks";

const USAGE = `usage:
  npx tsx demo/simulate.ts place --customer <id|new|guest> --amount 45.00 [--code CODE] [--duplicate] [--out-of-order]
  npx tsx demo/simulate.ts refund --order <number> --amount 10.00 [--duplicate] [--out-of-order]
  npx tsx demo/simulate.ts cancel --order <number> [--duplicate] [--out-of-order]
  npx tsx demo/simulate.ts deliver-held --order <number> [--duplicate]
  options: --url <demo base url>`;

async function main(): Promise<number> {
  loadDemoEnv();
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      customer: { type: "string" },
      amount: { type: "string" },
      code: { type: "string" },
      order: { type: "string" },
      duplicate: { type: "boolean", default: false },
      "out-of-order": { type: "boolean", default: false },
      url: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const command = positionals[0];
  if (values.help || !command) {
    console.log(USAGE);
    return command ? 0 : 1;
  }
  const baseUrl = values.url ?? process.env.DEMO_URL ?? demoBaseUrl();
  const hold = values["out-of-order"];
  const api = async (path: string, body: unknown) => {
    let answer;
    try {
      answer = await post(new URL(path, baseUrl), JSON.stringify(body), { "Content-Type": "application/json", Accept: "application/json" });
    } catch (error) {
      throw new CliError(`cannot reach the demo at ${baseUrl} (${(error as Error).message}): is \`npm run demo\` running? (--url to point elsewhere)`);
    }
    const parsed = JSON.parse(answer.text || "{}") as Record<string, unknown>;
    if (answer.status !== 200) throw new CliError(String(parsed.error ?? `${path}: HTTP ${answer.status}`));
    return parsed;
  };
  const order = () => {
    const n = Number(values.order);
    if (!Number.isInteger(n) || n <= 0) throw new CliError("--order <number> is required (the order number, e.g. 1042)");
    return n;
  };

  let answer: Record<string, unknown>;
  if (command === "place") {
    if (!values.customer || !values.amount) throw new CliError("place needs --customer <id|new|guest> and --amount <amount>");
    const customer = values.customer === "new" || values.customer === "guest" ? values.customer : Number(values.customer);
    answer = await api("/demo/api/orders", { customer, amount: values.amount, code: values.code ?? null, hold });
    const c = answer.customer as { id: number; firstName: string; lastName: string } | null;
    const o = answer.order as { number: number; total: string };
    console.log(`order #${o.number} for ${c ? `${c.firstName} ${c.lastName} (customer ${c.id})` : "a guest"}: $${o.total}`);
    if (answer.codeNote) console.log(`  ${String(answer.codeNote)}`);
  } else if (command === "refund") {
    if (!values.amount) throw new CliError("refund needs --amount <amount>");
    answer = await api(`/demo/api/orders/${order()}/refund`, { amount: values.amount, hold });
    console.log(`refund of $${(answer.refund as { amount: string }).amount} on order #${order()}`);
  } else if (command === "cancel") {
    answer = await api(`/demo/api/orders/${order()}/cancel`, { hold });
    console.log(`order #${order()} cancelled`);
  } else if (command === "deliver-held") {
    answer = await api(`/demo/api/orders/${order()}/release`, {});
  } else {
    throw new CliError(`unknown command ${command}\n${USAGE}`);
  }

  const deliveries = (answer.deliveries as PendingDelivery[]) ?? [];
  if (deliveries.length === 0) {
    console.log("  webhook held back (--out-of-order): it is delivered after the next event of this order, or with deliver-held");
    return 0;
  }
  const results = await deliverAll(baseUrl, deliveries, apiSecret(), { duplicate: values.duplicate });
  for (const r of results) console.log(`  ${r.label}${r.attempt > 1 ? " (redelivery)" : ""} → ${describeResult(r)}  [${r.webhookId}]`);
  await api("/demo/api/deliveries", { results }).catch(() => undefined);
  return results.every((r) => r.status === 200) ? 0 : 2;
}

class CliError extends Error {}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof CliError ? `simulate: ${error.message}` : error);
    process.exit(1);
  },
);
