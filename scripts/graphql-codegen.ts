// Writes app/shopify/generated/ (the types of the Admin API operations, see scripts/lib/admin-codegen.ts).
// `--check` writes nothing and exits 1 when the committed files differ from what would be generated
// (tests/unit/shopify/admin-types-generated.test.ts does the same check in `npm test`).
//
//   npm run graphql-codegen            after changing a document in app/shopify/admin-documents.ts
//   npm run graphql-codegen -- --check
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { GENERATED_DIR, generateAdminTypes, type GeneratedFile } from "./lib/admin-codegen";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Paths (relative to root) whose content differs from `files`, including committed files that would no longer be generated. */
export function staleFiles(files: readonly GeneratedFile[]): string[] {
  const wanted = new Map(files.map((file) => [file.path, file.content]));
  let present: string[] = [];
  try {
    present = readdirSync(path.join(root, GENERATED_DIR)).map((name) => `${GENERATED_DIR}/${name}`);
  } catch {
    // no directory yet: every file is missing
  }
  const stale = new Set<string>();
  for (const [file, content] of wanted) {
    let current: string | null = null;
    try {
      current = readFileSync(path.join(root, file), "utf8");
    } catch {
      // missing counts as stale
    }
    if (current !== content) stale.add(file);
  }
  for (const file of present) if (!wanted.has(file)) stale.add(file);
  return [...stale].sort();
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const files = await generateAdminTypes(root);
  if (process.argv.includes("--check")) {
    const stale = staleFiles(files);
    if (stale.length > 0) {
      console.error(`stale generated Admin types: ${stale.join(", ")}\nrun \`npm run graphql-codegen\` and commit the result`);
      process.exit(1);
    }
    console.log(`${GENERATED_DIR}: up to date`);
  } else {
    rmSync(path.join(root, GENERATED_DIR), { recursive: true, force: true });
    mkdirSync(path.join(root, GENERATED_DIR), { recursive: true });
    for (const file of files) {
      writeFileSync(path.join(root, file.path), file.content);
      console.log(`wrote ${file.path} (${file.content.length} bytes)`);
    }
  }
}
