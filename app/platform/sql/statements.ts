// Hand-written SQL: the webhook hot path (docs/decisions/009-hot-path-sql.md) and the few queries
// Prisma's query builder cannot express (the admin's aggregates). Code that reads or writes the
// database here is a generator of statements ("steps") instead of an async function:
//
//   function* balanceOf(customerId: string): SqlSteps<number> {
//     const row = yield* selectRow<{ balance: unknown }>`SELECT "balance" FROM "Customer" WHERE "id" = ${customerId}`;
//     return toInt(row?.balance ?? 0);
//   }
//
// A driver (run.server.ts) feeds each statement to the database and the result back in. On SQLite the
// driver runs a whole transaction synchronously (no other JavaScript runs while it holds the write
// lock); on PostgreSQL it awaits each statement; inside an existing Prisma transaction it uses
// $queryRawUnsafe (runInPrisma, app/platform/db.server.ts). One body of SQL logic, three ways to run
// it. Nothing in this file does I/O.
//
// The SQL is written once for both databases: quoted identifiers, ON CONFLICT, RETURNING and CAST
// mean the same on SQLite 3.35+ and PostgreSQL. Values are bound, never spliced; a value that is an
// array becomes a parenthesised list for IN. A statement may embed fragments (the sql tag), and the few
// expressions the two databases spell differently (epochSeconds, jsonText) are fragments whose text
// is chosen when the statement is rendered for one database.

import { randomUUID } from "node:crypto";

/** Row ids written by SQL steps (Prisma's cuid() default is applied by the client, not the database). */
export function newId(): string {
  return randomUUID();
}

export type SqlScalar = string | number | boolean | Date | null;
export type SqlValue = SqlScalar | readonly SqlScalar[];
export type Dialect = "sqlite" | "postgresql";

// Fragments are plain objects told apart by `kind`, not class instances: the SQL path that renders
// them is made once per process and outlives module reloads (dev server, test files), and a class
// from a reloaded module would not be `instanceof` the one the renderer knows.

/** A piece of SQL with its own bound values, embedded in a statement or another fragment: sql`"shopId" = ${shopId}`. */
export interface SqlFragment {
  readonly kind: "sql";
  readonly strings: readonly string[];
  readonly values: readonly SqlPart[];
}

/** SQL the two databases spell differently: one fragment per dialect, picked when the statement is rendered. */
export interface DialectFragment {
  readonly kind: "by-dialect";
  readonly choices: Readonly<Record<Dialect, SqlFragment>>;
}

/** What a statement's `${…}` may hold: a value to bind (or a list of them, for IN), or a fragment of SQL. */
export type SqlPart = SqlValue | SqlFragment | DialectFragment;

export interface Statement {
  strings: readonly string[];
  values: readonly SqlPart[];
  /** "rows": the rows it returns (SELECT, RETURNING); "count": how many rows it changed. */
  want: "rows" | "count";
}

export type SqlSteps<T> = Generator<Statement, T, unknown>;

export function* selectRows<Row>(strings: TemplateStringsArray, ...values: SqlPart[]): SqlSteps<Row[]> {
  return (yield { strings, values, want: "rows" }) as Row[];
}

export function* selectRow<Row>(strings: TemplateStringsArray, ...values: SqlPart[]): SqlSteps<Row | undefined> {
  const rows = (yield { strings, values, want: "rows" }) as Row[];
  return rows[0];
}

/** Runs an INSERT, UPDATE or DELETE; returns how many rows it changed. */
export function* execute(strings: TemplateStringsArray, ...values: SqlPart[]): SqlSteps<number> {
  return (yield { strings, values, want: "count" }) as number;
}

/** A fragment to embed in a statement; its values are bound like the statement's own. */
export function sql(strings: TemplateStringsArray, ...values: SqlPart[]): SqlFragment {
  return { kind: "sql", strings, values };
}

/** Text written into the SQL as is: only for text this file builds from checked input. */
function verbatim(text: string): SqlFragment {
  return { kind: "sql", strings: [text], values: [] };
}

export function byDialect(choices: Record<Dialect, SqlFragment>): DialectFragment {
  return { kind: "by-dialect", choices };
}

/**
 * A whole number written into the SQL text instead of bound. better-sqlite3 binds every JavaScript
 * number as REAL, so `${expr} / ${900}` would divide as floating point on SQLite; `/ ${integerLiteral(900)}` does not.
 */
export function integerLiteral(value: number): SqlFragment {
  if (!Number.isSafeInteger(value)) throw new Error(`not a whole number: ${value}`);
  return verbatim(String(value));
}

/** Whole seconds since the epoch of a DateTime column (or expression): epochSeconds(sql`"createdAt"`). */
export function epochSeconds(column: SqlFragment): DialectFragment {
  return byDialect({
    // Prisma's SQLite DateTime text (formatInstant) is one of the formats SQLite's date functions read.
    sqlite: sql`CAST(strftime('%s', ${column}) AS INTEGER)`,
    postgresql: sql`CAST(FLOOR(EXTRACT(EPOCH FROM ${column})) AS BIGINT)`,
  });
}

/** A top-level field of a JSON text column, as text: jsonText(sql`o."earnSnapshot"`, "base"). */
export function jsonText(column: SqlFragment, key: string): DialectFragment {
  // The key is part of the SQL text (a path literal), so it is held to a plain name.
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new Error(`not a plain JSON key: ${key}`);
  return byDialect({
    sqlite: sql`json_extract(${column}, ${verbatim(`'$.${key}'`)})`,
    postgresql: sql`(CAST(${column} AS JSON) ->> ${verbatim(`'${key}'`)})`,
  });
}

/**
 * Values read once per transaction: a batch of deliveries of one shop reads the shop's row and its
 * program settings once, not once per delivery. Whoever rolls back a savepoint clears it, since what
 * was read or created inside may be gone.
 */
export class TransactionMemo {
  private readonly values = new Map<string, unknown>();
  *get<T>(key: string, load: () => SqlSteps<T>): SqlSteps<T> {
    if (this.values.has(key)) return this.values.get(key) as T;
    const value = yield* load();
    this.values.set(key, value);
    return value;
  }
  clear(): void {
    this.values.clear();
  }
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, "0");
}

/**
 * A DateTime as each database stores it. Prisma keeps SQLite DateTimes as text like
 * 2026-11-23T09:44:09.390+00:00 (text order = time order), PostgreSQL's TIMESTAMP(3) columns hold UTC.
 */
export function formatInstant(date: Date, dialect: Dialect): string {
  const day = `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(date.getUTCMilliseconds(), 3)}`;
  return dialect === "sqlite" ? `${day}T${time}+00:00` : `${day} ${time}`;
}

function bindable(value: SqlScalar, dialect: Dialect): string | number | boolean | null {
  if (value instanceof Date) return formatInstant(value, dialect);
  // better-sqlite3 binds numbers, strings and null only; Prisma stores SQLite Booleans as 0/1.
  if (typeof value === "boolean" && dialect === "sqlite") return value ? 1 : 0;
  return value;
}

function isFragment(value: SqlPart): value is SqlFragment | DialectFragment {
  return typeof value === "object" && value !== null && "kind" in value;
}

/**
 * The statement as text and parameters for one database: `?` for SQLite, `$1..$n` for PostgreSQL,
 * numbered in reading order through any embedded fragments.
 */
export function render(statement: Statement, dialect: Dialect): { text: string; params: (string | number | boolean | null)[] } {
  const params: (string | number | boolean | null)[] = [];
  const placeholder = (value: SqlScalar) => {
    params.push(bindable(value, dialect));
    return dialect === "sqlite" ? "?" : `$${params.length}`;
  };
  const write = (strings: readonly string[], values: readonly SqlPart[]): string => {
    let text = strings[0]!;
    values.forEach((value, i) => {
      if (isFragment(value)) {
        const chosen = value.kind === "sql" ? value : value.choices[dialect];
        text += write(chosen.strings, chosen.values);
      } else if (Array.isArray(value)) {
        // An empty IN () is a syntax error; IN (NULL) matches nothing, which is what an empty list means.
        text += value.length === 0 ? "(NULL)" : `(${value.map(placeholder).join(", ")})`;
      } else {
        text += placeholder(value as SqlScalar);
      }
      text += strings[i + 1]!;
    });
    return text;
  };
  return { text: write(statement.strings, statement.values), params };
}

/**
 * A unique-constraint violation from any path: Prisma's model API (P2002), Prisma raw SQL (P2010
 * carrying the database's code), better-sqlite3 and node-postgres. Checked by shape, not
 * `instanceof`: the SQLite and PostgreSQL Prisma clients are separate packages with separate classes.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code, meta } = error as { code?: unknown; meta?: { driverAdapterError?: { cause?: { kind?: unknown } } } };
  if (code === "P2002" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "23505") return true;
  return code === "P2010" && meta?.driverAdapterError?.cause?.kind === "UniqueConstraintViolation";
}

// Column values come back as each driver decodes them: SQLite DateTimes as text, PostgreSQL's as
// Date; SQLite Booleans as 0/1; counts as number or bigint. These read them one way.

export function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === "string" || typeof value === "number") return new Date(value);
  throw new Error(`not a DateTime column value: ${String(value)}`);
}

export function toDateOrNull(value: unknown): Date | null {
  return value === null || value === undefined ? null : toDate(value);
}

export function toInt(value: unknown): number {
  const n = typeof value === "bigint" ? Number(value) : Number(value);
  if (!Number.isFinite(n)) throw new Error(`not a number column value: ${String(value)}`);
  return n;
}

export function toBool(value: unknown): boolean {
  return value === true || value === 1 || value === 1n || value === "1" || value === "t" || value === "true";
}
