import { runConfig } from "./load";
import { table } from "./lib";
const name = process.env.CFG ?? "sqlite-1x1";
const [db, w] = name.split("-");
const [web, workers] = w!.split("x").map(Number);
const senders = (process.env.SENDERS ?? "50").split(",").map(Number);
const rows = await runConfig({ name, database: db === "pg" ? "postgresql" : "sqlite", web: web!, workers: workers! }, "postgresql://postgres@127.0.0.1:5432/postgres", { senders: process.env.SENDERS === "" ? [] : senders, rates: (process.env.RATES ?? "").split(",").filter(Boolean).map(Number), ordersPaidOnly: true, seconds: Number(process.env.SECS ?? 5) });
console.log(table(rows));
process.exit(0);
