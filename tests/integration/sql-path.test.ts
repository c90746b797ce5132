// SQL steps inside a caller's Prisma transaction (runInPrisma, app/platform/db.server.ts): they are
// rendered for the database of the SQL path paired with the client, which a Prisma interactive
// transaction hands on to its client, and they are part of that transaction.
import { beforeEach, describe, expect, it } from "vitest";
import { runInPrisma, sqlOf } from "../../app/platform/db.server";
import { databaseTarget } from "../../app/platform/db-target";
import { execute, newId, selectRow } from "../../app/platform/sql/statements";
import { prisma, resetDatabase } from "../support/app";

describe("SQL steps in a Prisma transaction", () => {
  beforeEach(resetDatabase);

  it("an interactive transaction finds its client's SQL path, of the database the client is connected to", async () => {
    const dialect = await prisma.$transaction(async (tx) => {
      expect(sqlOf(tx)).toBe(sqlOf(prisma));
      return sqlOf(tx).dialect;
    });
    expect(dialect).toBe(databaseTarget(process.env.DATABASE_URL).provider);
  });

  it("steps see the transaction's writes and roll back with it; DateTimes they write read back the same through Prisma", async () => {
    const id = newId();
    const installedAt = new Date("2026-11-23T09:44:09.390Z");
    const seenInside = await prisma
      .$transaction(async (tx) => {
        await runInPrisma(tx, execute`INSERT INTO "Shop" ("id", "domain", "installedAt", "createdAt", "updatedAt") VALUES (${id}, ${"sql-path.myshopify.com"}, ${installedAt}, ${installedAt}, ${installedAt})`);
        const viaPrisma = await tx.shop.findUnique({ where: { id } });
        await tx.shop.update({ where: { id }, data: { currencyCode: "EUR" } });
        const viaSteps = await runInPrisma(tx, selectRow<{ currencyCode: string }>`SELECT "currencyCode" FROM "Shop" WHERE "id" = ${id}`);
        throw Object.assign(new Error("roll back"), { seen: { installedAt: viaPrisma?.installedAt, currencyCode: viaSteps?.currencyCode } });
      })
      .catch((error: { seen?: unknown }) => error.seen);
    expect(seenInside).toEqual({ installedAt, currencyCode: "EUR" });
    expect(await prisma.shop.findUnique({ where: { id } })).toBeNull();
  });

  it("a client not made by createPrismaClient has no SQL path, and says so", () => {
    expect(() => sqlOf({} as never)).toThrow(/not made by createPrismaClient/);
  });
});
