// One data-access style per module, said in its opening comment: every module of app/ that reaches
// the database says "Data access: Prisma models…" or "Data access: SQL steps (app/platform/sql)…", and
// does only that. (Opening a Prisma transaction for SQL steps to join, with runInPrisma, is the SQL
// style.) app/platform/ is the engine both styles run on and is not checked.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../../..");

function modules(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return modules(relative);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [relative] : [];
  });
}

const PRISMA_MODEL_CALL =
  /\b(?:prisma|db|tx|client)\.[a-z][A-Za-z]*\.(?:findMany|findFirst|findFirstOrThrow|findUnique|findUniqueOrThrow|create|createMany|update|updateMany|upsert|delete|deleteMany|count|aggregate|groupBy)\(/;
const PRISMA_RAW_SQL = /\$(?:queryRaw|executeRaw)/;
const SQL_STEPS = /\b(?:execute`|selectRows?\s*(?:<|`)|sqlOf\(|runSteps\(|runInPrisma\()/;

/** The comment lines before the first line of code. */
function openingComment(source: string): string {
  const lines: string[] = [];
  for (const line of source.split("\n")) {
    if (line.startsWith("//")) lines.push(line.replace(/^\/\/\s?/, ""));
    else if (line.trim() !== "" || lines.length > 0) break;
  }
  return lines.join(" ");
}

function declaredStyle(source: string): "prisma" | "sql" | "none" | null {
  const said = /Data access: ([^.;(]*)/.exec(openingComment(source))?.[1]?.trim() ?? "";
  if (said.startsWith("Prisma models")) return "prisma";
  if (said.startsWith("SQL steps")) return "sql";
  if (said.startsWith("none")) return "none";
  return null;
}

function usedStyles(source: string): Set<"prisma" | "sql"> {
  const used = new Set<"prisma" | "sql">();
  if (PRISMA_MODEL_CALL.test(source)) used.add("prisma");
  if (SQL_STEPS.test(source)) used.add("sql");
  return used;
}

describe("data-access style per module", () => {
  const files = modules("app").filter((file) => !file.startsWith("app/platform/"));
  const sources = new Map(files.map((file) => [file, readFileSync(path.join(root, file), "utf8")]));

  it("every module that reaches the database says which style in its opening comment, and uses only that one", () => {
    const problems: string[] = [];
    for (const [file, source] of sources) {
      const used = usedStyles(source);
      const declared = declaredStyle(source);
      if (used.size === 0 && declared === null) continue;
      if (declared === null) problems.push(`${file}: reaches the database (${[...used].join(" and ")}) but its opening comment has no "Data access: Prisma models" or "Data access: SQL steps"`);
      else if (used.size > 1) problems.push(`${file}: mixes Prisma models and SQL steps; split it or convert the odd part`);
      else if (used.size === 1 && !used.has(declared as "prisma" | "sql")) problems.push(`${file}: says ${declared} but uses ${[...used][0]}`);
    }
    expect(problems).toEqual([]);
  });

  it("no module writes Prisma raw SQL: hand-written SQL is SQL steps, rendered for each database in one place", () => {
    expect([...sources].filter(([, source]) => PRISMA_RAW_SQL.test(source)).map(([file]) => file)).toEqual([]);
  });

  it("tells the styles apart (the check itself)", () => {
    expect(usedStyles("await tx.customer.updateMany({ where })")).toEqual(new Set(["prisma"]));
    expect(usedStyles("const row = yield* selectRow<{ a: 1 }>`SELECT 1`; await sqlOf(db).statement(f)")).toEqual(new Set(["sql"]));
    expect(usedStyles("await db.$transaction(async (tx) => runInPrisma(tx, steps()))")).toEqual(new Set(["sql"]));
    expect(usedStyles("settledCache.delete(key); next.delete('page')")).toEqual(new Set());
    expect(declaredStyle("// What it is.\n// Data access: SQL steps (app/platform/sql), hot path.\nimport x from 'y';")).toBe("sql");
    expect(declaredStyle("// What it is.\nimport x from 'y';\n// Data access: Prisma models.")).toBeNull();
  });
});
