// The few admin aggregates Prisma's query builder cannot express (grouping by an expression,
// per-customer flags) are raw SQL. Both providers run the same model; these helpers cover the two
// places their SQL differs: how a DateTime column is compared and how it becomes epoch seconds.
import { Prisma } from "@prisma/client";
import { databaseProvider } from "../platform/db.server";

export function isPostgres(): boolean {
  return databaseProvider() === "postgresql";
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, "0");
}

/**
 * A DateTime parameter. Prisma stores SQLite DateTimes as text like 2026-11-23T09:44:09.390+00:00,
 * so the parameter is written the same way and text order equals time order; PostgreSQL gets a
 * timestamp (UTC, as the columns hold).
 */
export function sqlInstant(date: Date): Prisma.Sql {
  if (isPostgres()) return Prisma.sql`CAST(${date.toISOString().replace("Z", "")} AS TIMESTAMP(3))`;
  const text =
    `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}` +
    `T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(date.getUTCMilliseconds(), 3)}+00:00`;
  return Prisma.sql`${text}`;
}

/** Whole epoch seconds of a DateTime column, e.g. epochSeconds(Prisma.raw('"createdAt"')). */
export function epochSeconds(column: Prisma.Sql): Prisma.Sql {
  if (isPostgres()) return Prisma.sql`CAST(FLOOR(EXTRACT(EPOCH FROM ${column})) AS BIGINT)`;
  return Prisma.sql`CAST(strftime('%s', ${column}) AS INTEGER)`;
}

/** COUNT/SUM come back as bigint, number, string or null depending on the driver. */
export function toNumber(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "number") return value;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : 0;
}

/** A top-level string field of a JSON text column, e.g. jsonText(Prisma.raw('o."earnSnapshot"'), "base"). */
export function jsonText(column: Prisma.Sql, key: string): Prisma.Sql {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new Error(`unsafe JSON key ${key}`);
  if (isPostgres()) return Prisma.sql`(CAST(${column} AS JSON) ->> ${Prisma.raw(`'${key}'`)})`;
  return Prisma.sql`json_extract(${column}, ${Prisma.raw(`'$.${key}'`)})`;
}
