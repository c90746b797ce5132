// How SQL steps become text and parameters for each database (app/platform/sql/statements.ts):
// nested fragments, the expressions the two databases spell differently, and the one DateTime format.
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { byDialect, epochSeconds, formatInstant, integerLiteral, jsonText, render, selectRows, sql, type Dialect, type SqlPart, type Statement } from "../../../app/platform/sql/statements";

/** The statement a step yields, as the drivers see it. */
function statementOf(strings: TemplateStringsArray, ...values: SqlPart[]): Statement {
  return selectRows(strings, ...values).next().value as Statement;
}

const at = new Date("2026-11-23T09:44:09.390Z");

describe("rendering statements", () => {
  it("numbers the parameters in reading order through nested fragments, on PostgreSQL", () => {
    const active = sql` AND "lastActivityAt" >= ${at}`;
    const where = sql`"shopId" = ${"shop-1"}${active} AND "kind" IN ${["earn", "manual"]}`;
    const statement = statementOf`SELECT "id" FROM "Customer" WHERE ${where} AND "balance" > ${10} LIMIT ${5}`;

    expect(render(statement, "postgresql")).toEqual({
      text: `SELECT "id" FROM "Customer" WHERE "shopId" = $1 AND "lastActivityAt" >= $2 AND "kind" IN ($3, $4) AND "balance" > $5 LIMIT $6`,
      params: ["shop-1", "2026-11-23 09:44:09.390", "earn", "manual", 10, 5],
    });
    expect(render(statement, "sqlite")).toEqual({
      text: `SELECT "id" FROM "Customer" WHERE "shopId" = ? AND "lastActivityAt" >= ? AND "kind" IN (?, ?) AND "balance" > ? LIMIT ?`,
      params: ["shop-1", "2026-11-23T09:44:09.390+00:00", "earn", "manual", 10, 5],
    });
  });

  it("an empty fragment adds nothing, and an empty list matches nothing", () => {
    const statement = statementOf`SELECT 1 FROM "Shop" WHERE "id" = ${"s"}${sql``} AND "domain" IN ${[]}`;
    expect(render(statement, "sqlite")).toEqual({ text: `SELECT 1 FROM "Shop" WHERE "id" = ? AND "domain" IN (NULL)`, params: ["s"] });
  });

  it("writes the fragment of the database it renders for, with that fragment's own values", () => {
    const pick = byDialect({ sqlite: sql`lower(${"A"})`, postgresql: sql`LOWER(${"B"}) || ${"C"}` });
    const statement = statementOf`SELECT ${pick} AS "x" WHERE "id" = ${"id-1"}`;
    expect(render(statement, "sqlite")).toEqual({ text: `SELECT lower(?) AS "x" WHERE "id" = ?`, params: ["A", "id-1"] });
    expect(render(statement, "postgresql")).toEqual({ text: `SELECT LOWER($1) || $2 AS "x" WHERE "id" = $3`, params: ["B", "C", "id-1"] });
  });

  it("epoch seconds and JSON text fields in each database's spelling", () => {
    const statement = statementOf`SELECT ${epochSeconds(sql`o."createdAt"`)} / ${integerLiteral(900)}, ${jsonText(sql`o."earnSnapshot"`, "base")} FROM "OrderRecord" o`;
    expect(render(statement, "sqlite").text).toBe(`SELECT CAST(strftime('%s', o."createdAt") AS INTEGER) / 900, json_extract(o."earnSnapshot", '$.base') FROM "OrderRecord" o`);
    expect(render(statement, "postgresql").text).toBe(`SELECT CAST(FLOOR(EXTRACT(EPOCH FROM o."createdAt")) AS BIGINT) / 900, (CAST(o."earnSnapshot" AS JSON) ->> 'base') FROM "OrderRecord" o`);
    expect(render(statement, "sqlite").params).toEqual([]);
  });

  it("refuses what it would have to write into the SQL text unchecked", () => {
    expect(() => jsonText(sql`"x"`, "base') OR 1=1 --")).toThrow(/not a plain JSON key/);
    expect(() => integerLiteral(1.5)).toThrow(/not a whole number/);
    expect(() => integerLiteral(Number.NaN)).toThrow(/not a whole number/);
  });

  it("renders fragments made by another copy of the module (the SQL path outlives module reloads)", async () => {
    // @ts-expect-error: a query string makes vitest load a second, separate instance of the module
    const copy = (await import("../../../app/platform/sql/statements.ts?another-copy")) as typeof import("../../../app/platform/sql/statements");
    expect(copy.sql).not.toBe(sql);
    const statement = statementOf`SELECT 1 WHERE ${copy.sql`"id" = ${"x"}`} AND ${copy.jsonText(copy.sql`"j"`, "k")} = ${"v"}`;
    expect(render(statement, "postgresql")).toEqual({ text: `SELECT 1 WHERE "id" = $1 AND (CAST("j" AS JSON) ->> 'k') = $2`, params: ["x", "v"] });
  });
});

describe("the dialect-specific fragments run on SQLite", () => {
  const db = new Database(":memory:");
  const run = (statement: Statement, dialect: Dialect = "sqlite") => {
    const { text, params } = render(statement, dialect);
    return db.prepare(text).get(...params) as Record<string, unknown>;
  };

  it("reads Prisma's DateTime text as epoch seconds, and divides whole numbers as whole numbers", () => {
    const row = run(statementOf`SELECT ${epochSeconds(sql`${at}`)} AS "s", ${epochSeconds(sql`${at}`)} / ${integerLiteral(900)} AS "bucket"`);
    expect(row).toEqual({ s: Math.floor(at.getTime() / 1000), bucket: Math.floor(at.getTime() / 1000 / 900) });
  });

  it("reads a top-level JSON field as text", () => {
    expect(run(statementOf`SELECT ${jsonText(sql`${'{"base":"12.50","n":1}'}`, "base")} AS "v"`)).toEqual({ v: "12.50" });
  });

  it("compares stored DateTimes in time order, as text", () => {
    const earlier = formatInstant(new Date("2026-11-23T09:44:09.389Z"), "sqlite");
    expect(run(statementOf`SELECT ${earlier} < ${at} AS "before", ${formatInstant(at, "sqlite")} = ${at} AS "same"`)).toEqual({ before: 1, same: 1 });
  });
});
