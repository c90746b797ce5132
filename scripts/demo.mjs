// `npm run demo`: the app on this machine with a local demo shop, no Shopify account and no network.
//   1. .env from .env.example when there is none (its demo values work as they are)
//   2. npm run setup: Prisma clients + migrations on DATABASE_URL (default prisma/dev.sqlite)
//   3. the production build, when build/server/index.js is missing or older than the sources
//   4. demo/server.ts: the built app served as in production, with the demo layer in front
//      (admin frame, order simulator, storefront); it seeds the shop on the first run.
import { execFileSync, spawn } from "node:child_process";
import { copyFileSync, existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const started = Date.now();
const step = (message) => console.log(`[demo] ${message}`);

const envFile = path.join(root, ".env");
if (!existsSync(envFile)) {
  copyFileSync(path.join(root, ".env.example"), envFile);
  step("wrote .env from .env.example (demo values)");
}
process.loadEnvFile(envFile);

step("preparing the database (npm run setup)…");
execFileSync(process.execPath, [path.join(root, "scripts/setup.mjs")], { cwd: root, stdio: "inherit" });

/** Newest modification time under `dir` (files only). */
function newest(target) {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = 0;
  for (const entry of readdirSync(target, { withFileTypes: true })) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    latest = Math.max(latest, newest(path.join(target, entry.name)));
  }
  return latest;
}

const serverBuild = path.join(root, "build/server/index.js");
const sources = Math.max(...["app", "vite.config.ts", "tsconfig.json", "package.json", "env.d.ts"].map((p) => newest(path.join(root, p))));
if (!existsSync(serverBuild) || statSync(serverBuild).mtimeMs < sources) {
  step(existsSync(serverBuild) ? "sources changed since the last build: building the app…" : "building the app…");
  const t = Date.now();
  execFileSync(path.join(root, "node_modules/.bin/remix"), ["vite:build"], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
  step(`built in ${((Date.now() - t) / 1000).toFixed(1)} s`);
} else {
  step("build is up to date");
}
step(`prepared in ${((Date.now() - started) / 1000).toFixed(1)} s; starting the demo server…`);

const child = spawn(path.join(root, "node_modules/.bin/tsx"), [path.join(root, "demo/server.ts")], { cwd: root, stdio: "inherit", env: process.env });
// Ctrl-C reaches the server too (same process group): let it stop cleanly and exit with it.
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
