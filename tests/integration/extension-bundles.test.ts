// The customer-account UI extensions' bundles, as Shopify's CLI builds them (`shopify app build` writes
// dist/<handle>.js and, from CLI 3.92, the esbuild metafile next to it). Shopify refuses to deploy an
// extension over 64 KB compressed, 128 KB for a full-page customer-account extension:
// https://shopify.dev/docs/apps/build/customer-accounts/extension-performance/optimize-bundle-size
// Shopify does not say which compression it measures: both gzip and brotli must fit, and "KB" is read
// as 1,000 bytes (the stricter reading). CI builds the app before the tests; a stale or missing dist is
// rebuilt here with the CLI, offline.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const EXTENSIONS = [
  { handle: "loyalty-rewards-page", limitBytes: 128_000, kind: "full page" },
  { handle: "loyalty-profile-block", limitBytes: 64_000, kind: "block" },
];

function newestSourceMtime(): number {
  let newest = 0;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "dist" && entry.name !== "node_modules") walk(full);
      } else newest = Math.max(newest, statSync(full).mtimeMs);
    }
  };
  for (const { handle } of EXTENSIONS) walk(path.join(root, "extensions", handle));
  return newest;
}

const distFile = (handle: string, suffix: string) => path.join(root, "extensions", handle, "dist", `${handle}${suffix}`);

interface Metafile {
  inputs: Record<string, { bytes: number }>;
  outputs: Record<string, { bytes: number; inputs: Record<string, { bytesInOutput: number }> }>;
}

beforeAll(() => {
  const sourcesAt = newestSourceMtime();
  const stale = EXTENSIONS.some(({ handle }) => !existsSync(distFile(handle, ".metafile.json")) || statSync(distFile(handle, ".metafile.json")).mtimeMs < sourcesAt);
  if (stale) {
    execFileSync("npx", ["shopify", "app", "build", "--skip-dependencies-installation"], { cwd: root, stdio: "pipe", env: { ...process.env, SHOPIFY_CLI_NO_ANALYTICS: "1" }, timeout: 170_000 });
  }
}, 180_000);

describe.each(EXTENSIONS)("the $handle bundle ($kind)", ({ handle, limitBytes }) => {
  const read = () => {
    const js = readFileSync(distFile(handle, ".js"));
    const meta = JSON.parse(readFileSync(distFile(handle, ".metafile.json"), "utf8")) as Metafile;
    const output = Object.entries(meta.outputs).find(([file]) => file.endsWith(`${handle}.js`));
    if (!output) throw new Error(`no ${handle}.js in the metafile's outputs`);
    return { js, meta, output: output[1] };
  };

  it(`is within ${limitBytes / 1000} KB compressed (gzip and brotli)`, () => {
    const { js, output } = read();
    expect(output.bytes).toBe(js.length); // the metafile describes the file on disk
    const gzip = gzipSync(js, { level: 9 }).length;
    const brotli = brotliCompressSync(js, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
    const biggest = Object.entries(output.inputs)
      .sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput)
      .slice(0, 5)
      .map(([file, { bytesInOutput }]) => `${file} ${bytesInOutput} B`)
      .join(", ");
    expect(gzip, `${handle}: ${js.length} B minified, ${gzip} B gzip; largest inputs: ${biggest}`).toBeLessThanOrEqual(limitBytes);
    expect(brotli, `${handle}: ${brotli} B brotli`).toBeLessThanOrEqual(limitBytes);
  });

  it("holds only the extension's code, Preact and Shopify's runtime: no app server code", () => {
    const { output } = read();
    const inputs = Object.keys(output.inputs);
    expect(inputs.length).toBeGreaterThan(0);
    const foreign = inputs.filter((file) => !/^(extensions\/loyalty-[a-z-]+\/src\/|node_modules\/(preact|@preact\/signals(-core)?|@shopify\/ui-extensions)\/|<stdin>$)/.test(file));
    expect(foreign).toEqual([]);
  });
});
