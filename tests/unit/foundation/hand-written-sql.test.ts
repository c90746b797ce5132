// Every table and column named in hand-written SQL under app/ exists in the Prisma schema of both
// providers, so a renamed or misspelt name fails here instead of at run time on the path that uses it.
// What the reader covers (and what it does not) is said in tests/support/hand-written-sql.ts.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { findStatements, readPrismaSchema, unknownNames, type FoundStatement } from "../../support/hand-written-sql";

const root = path.resolve(import.meta.dirname, "../../..");
const SCHEMAS = ["prisma/schema.prisma", "prisma/postgresql/schema.prisma"].map((file) => ({ file, schema: readPrismaSchema(readFileSync(path.join(root, file), "utf8")) }));

/** app/**\/*.ts(x), found afresh each run: files move, new ones are covered. */
function appSources(): string[] {
  return (readdirSync(path.join(root, "app"), { recursive: true, withFileTypes: true }) as import("node:fs").Dirent[])
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name))
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .sort();
}

const statements: FoundStatement[] = appSources().flatMap((file) => findStatements(file, readFileSync(path.join(root, file), "utf8")));

describe("hand-written SQL against the Prisma schema", () => {
  it("finds the app's statements (the reader still sees them where the code moved)", () => {
    // 46 texts (statements and fragments) name tables or columns when this test was
    // written; a collapse in the count means the reader lost them (a new tag or call style), not that
    // the SQL went away.
    const naming = statements.filter((s) => /"[^"]+"/.test(s.sql));
    expect(naming.length).toBeGreaterThanOrEqual(40);
    expect(new Set(statements.map((s) => s.via))).toEqual(new Set(["selectRows", "selectRow", "execute", "sql", "$queryRawUnsafe", "prepare", "query"]));
    for (const table of ["Shop", "Customer", "LedgerEntry", "OrderRecord", "OutboxJob", "WebhookDelivery", "Campaign", "ProgramSettings", "IssuedCode"]) {
      expect(
        statements.some((s) => s.sql.includes(`"${table}"`)),
        `no statement names "${table}"`,
      ).toBe(true);
    }
  });

  for (const { file, schema } of SCHEMAS) {
    it(`every table and column they name is in ${file}`, () => {
      const problems = statements.flatMap((statement) =>
        unknownNames(statement.sql, schema).map((name) => {
          const where = name.kind === "column" && name.tables ? ` (looked in ${name.tables.length > 4 ? "every table" : name.tables.join(", ")})` : "";
          const text = statement.sql.replace(/\s+/g, " ").trim();
          return `${statement.file}:${statement.line} ${statement.via}: unknown ${name.kind} "${name.name}"${where}\n    ${text.length > 160 ? `${text.slice(0, 160)}…` : text}`;
        }),
      );
      expect(problems, problems.join("\n")).toEqual([]);
    });
  }
});

describe("the reader itself", () => {
  const schema = readPrismaSchema(`
    model Shop {
      id     String @id
      domain String @map("shop_domain")
      members Member[]
    }
    model Member {
      id     String @id
      shopId String
      shop   Shop   @relation(fields: [shopId], references: [id])
      @@map("members")
    }`);

  it("reads @map and @@map names and leaves relation fields out", () => {
    expect(schema.tables).toEqual(
      new Map([
        ["Shop", new Set(["id", "shop_domain"])],
        ["members", new Set(["id", "shopId"])],
      ]),
    );
  });

  it("names a misspelt column, an unknown table and a column of the wrong table", () => {
    expect(unknownNames(`SELECT "id" FROM "Shop" WHERE "domain" = ?`, schema)).toEqual([{ kind: "column", name: "domain", tables: ["Shop"] }]);
    expect(unknownNames(`SELECT "id" FROM "Member"`, schema)).toEqual([{ kind: "table", name: "Member" }]);
    expect(unknownNames(`SELECT m."shop_domain" FROM "members" m JOIN "Shop" s ON s."id" = m."shopId"`, schema)).toEqual([{ kind: "column", name: "m.shop_domain", tables: ["members"] }]);
    expect(unknownNames(`SELECT "shop_domain", COUNT(*) AS "n" FROM "Shop" GROUP BY "n" ORDER BY 'x"y'`, schema)).toEqual([]);
    expect(unknownNames(`INSERT INTO "members" ("id", "shopId") VALUES (?, ?) ON CONFLICT ("id") DO UPDATE SET "shopId" = excluded."shopid"`, schema)).toEqual([
      { kind: "column", name: "excluded.shopid", tables: ["members"] },
    ]);
  });

  it("finds tagged templates, nested ones and literal strings in source", () => {
    const source = [
      'const a = yield* selectRow<{ id: string }>`SELECT "id" FROM "Shop" WHERE "id" = ${id}`;',
      'const b = await db.$queryRaw<{ n: unknown }[]>(Prisma.sql`SELECT 1 FROM "Shop" WHERE ${cond ? Prisma.sql`"id" = ${x}` : Prisma.empty}`);',
      'await client.$executeRawUnsafe(\'DELETE FROM "Shop" WHERE "id" = $1\', id);',
    ].join("\n");
    expect(findStatements("x.ts", source).map((s) => [s.line, s.via, s.sql])).toEqual([
      [1, "selectRow", 'SELECT "id" FROM "Shop" WHERE "id" = ?'],
      [2, "Prisma.sql", 'SELECT 1 FROM "Shop" WHERE ?'],
      [2, "Prisma.sql", '"id" = ?'],
      [3, "$executeRawUnsafe", 'DELETE FROM "Shop" WHERE "id" = $1'],
    ]);
  });
});
