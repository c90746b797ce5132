// Writes prisma/postgresql/schema.prisma from prisma/schema.prisma. `--check` exits 1 when the
// committed copy is stale (the tests run it).
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { postgresSchema } from "./lib/prisma-schemas.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const target = path.join(root, "prisma/postgresql/schema.prisma");
const wanted = postgresSchema(readFileSync(path.join(root, "prisma/schema.prisma"), "utf8"));
if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(target, "utf8");
  } catch {
    /* missing counts as stale */
  }
  if (current !== wanted) {
    console.error("prisma/postgresql/schema.prisma is stale: run `npm run prisma:sync`");
    process.exit(1);
  }
} else {
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, wanted);
  console.log("wrote prisma/postgresql/schema.prisma");
}
