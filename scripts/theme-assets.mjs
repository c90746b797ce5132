// The theme app extension's scripts are written readable in extensions-src/<extension>/assets/ and
// shipped minified in extensions/<extension>/assets/ (Shopify serves that folder as it is, and the
// CLI allows only assets/, blocks/, locales/ and snippets/ in a theme app extension, so the source
// cannot sit beside it). `npm run build:theme` writes them; `--check` fails if a shipped file is not
// the build of its source (tests/unit/extension/asset-build.test.ts runs the same check).
// Minified with the esbuild that Vite (a devDependency) brings, through Vite's own API; docs/decisions/022.
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { transformWithEsbuild } from "vite";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SOURCE_ROOT = path.join(root, "extensions-src");

/**
 * Every script built from a source: [source, shipped] absolute paths.
 * @returns {[string, string][]}
 */
export function themeScripts() {
  return readdirSync(SOURCE_ROOT).flatMap((extension) =>
    readdirSync(path.join(SOURCE_ROOT, extension, "assets"))
      .filter((file) => file.endsWith(".js"))
      .map((file) => [path.join(SOURCE_ROOT, extension, "assets", file), path.join(root, "extensions", extension, "assets", file)]),
  );
}

/**
 * The shipped text of one source file.
 * @param {string} sourceFile
 */
export async function buildThemeScript(sourceFile) {
  const source = readFileSync(sourceFile, "utf8");
  // Storefront browsers from 2020 on (optional chaining, ??); newer syntax is lowered.
  const { code } = await transformWithEsbuild(source, sourceFile, { loader: "js", minify: true, target: "es2020", legalComments: "none", charset: "utf8" });
  const relative = path.relative(root, sourceFile);
  return `/* Loyalty rewards launcher. Built from ${relative} by npm run build:theme: edit that file, not this one. */\n${code}`;
}

/**
 * Writes (or with check, compares) every shipped script; returns the files that differ.
 * @returns {Promise<string[]>}
 */
export async function buildThemeAssets({ check = false } = {}) {
  const stale = [];
  for (const [source, shipped] of themeScripts()) {
    const built = await buildThemeScript(source);
    let current = null;
    try {
      current = readFileSync(shipped, "utf8");
    } catch {
      /* not built yet */
    }
    if (current === built) continue;
    stale.push(path.relative(root, shipped));
    if (!check) writeFileSync(shipped, built);
  }
  return stale;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes("--check");
  const stale = await buildThemeAssets({ check });
  if (check && stale.length) {
    console.error(`not the build of their source (run npm run build:theme): ${stale.join(", ")}`);
    process.exit(1);
  }
  console.log(stale.length ? `${check ? "stale" : "built"}: ${stale.join(", ")}` : "theme assets up to date");
}
