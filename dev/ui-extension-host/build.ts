// The UI extensions' bundles as Shopify's CLI builds them (`shopify app build`, offline), rebuilt only
// when a source is newer than the bundle: the browser tests, the demo, the benchmark and the bundle-size
// test all read extensions/<handle>/dist/, as Shopify would deploy it.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** The app's UI extensions (type ui_extension) by handle. */
export function uiExtensionHandles(): string[] {
  const dir = path.join(ROOT, "extensions");
  return readdirSync(dir)
    .filter((name) => existsSync(path.join(dir, name, "shopify.extension.toml")))
    .filter((name) => /type\s*=\s*"ui_extension"/.test(readFileSync(path.join(dir, name, "shopify.extension.toml"), "utf8")))
    .sort();
}

function newest(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = 0;
  for (const entry of readdirSync(target, { withFileTypes: true })) {
    if (entry.name === "dist" || entry.name === "node_modules") continue;
    latest = Math.max(latest, newest(path.join(target, entry.name)));
  }
  return latest;
}

export const bundlePath = (handle: string) => path.join(ROOT, "extensions", handle, "dist", `${handle}.js`);
export const metafilePath = (handle: string) => path.join(ROOT, "extensions", handle, "dist", `${handle}.metafile.json`);

/** Runs `shopify app build` when a bundle is missing or older than the extensions' sources. */
export function ensureExtensionBundles(): void {
  const handles = uiExtensionHandles();
  const sources = Math.max(newest(path.join(ROOT, "extensions")), newest(path.join(ROOT, "app/extension-api/order-earnings-contract.ts")), newest(path.join(ROOT, "package-lock.json")));
  const stale = handles.some((h) => !existsSync(bundlePath(h)) || !existsSync(metafilePath(h)) || statSync(bundlePath(h)).mtimeMs < sources);
  if (!stale) return;
  execFileSync(path.join(ROOT, "node_modules/.bin/shopify"), ["app", "build", "--skip-dependencies-installation"], {
    cwd: ROOT,
    env: { ...process.env, SHOPIFY_CLI_NO_ANALYTICS: "1", APP_URL: "" },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

export interface BundleSize {
  handle: string;
  /** Bytes of dist/<handle>.js as esbuild's metafile records them. */
  raw: number;
  /** gzip -9 of that file: what "compressed" means in Shopify's 64 KB limit. */
  gzip: number;
  /** Input files and their bytes in the bundle, largest first. */
  inputs: { path: string; bytes: number }[];
}

export function bundleSize(handle: string): BundleSize {
  const metafile = JSON.parse(readFileSync(metafilePath(handle), "utf8")) as { inputs: Record<string, { bytes: number }>; outputs: Record<string, { bytes: number; inputs: Record<string, { bytesInOutput: number }> }> };
  const output = Object.entries(metafile.outputs).find(([file]) => file.endsWith(`${handle}.js`));
  if (!output) throw new Error(`${handle}: the metafile names no ${handle}.js output`);
  const inputs = Object.entries(output[1].inputs)
    .map(([file, info]) => ({ path: file, bytes: info.bytesInOutput }))
    .sort((a, b) => b.bytes - a.bytes);
  return { handle, raw: output[1].bytes, gzip: gzipSync(readFileSync(bundlePath(handle)), { level: 9 }).byteLength, inputs };
}
