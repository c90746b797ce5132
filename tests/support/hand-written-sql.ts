// Finds the SQL written by hand in the app's source and checks the tables and columns it names against a
// Prisma schema file. A regex-level reader, honest about what it covers:
//
// Statements found: tagged templates `selectRows`, `selectRow`, `execute` and `sql` fragments
// (app/platform/sql/statements.ts),
// `Prisma.sql`, `$queryRaw` and `$executeRaw`; string or template literals passed first to
// `$queryRawUnsafe`, `$executeRawUnsafe`, `.prepare(...)` and `.query(...)`; and the string given to
// `Prisma.raw(...)` (a column fragment). `${...}` expressions become a bound value; a tagged template
// nested inside one is found and checked on its own. SQL built in a variable and passed on (the
// drivers in app/platform/sql/run.server.ts) is not a literal and is not read: its text comes from the
// statements above.
//
// Names checked: every double-quoted identifier, which is every table and column the app names (its
// SQL quotes them all: Prisma's camelCase names need quotes on PostgreSQL). A name after FROM, JOIN,
// INTO or UPDATE must be a table (its @@map name, if any). A qualified `q."column"` must be a column
// of the table q names (a table or its alias; `excluded` is the INSERT's table); a qualifier naming a
// derived table accepts any column of the statement's tables or any of its `AS "name"` results. An
// unqualified name must be a column of one of the tables the statement names, or one of its result
// names. A fragment (text that is not a whole statement: a condition built apart and spliced into one
// elsewhere) has its unqualified names checked against every table.
// Not checked: unquoted identifiers, and which of several tables an unqualified column belongs to.

export interface SchemaTables {
  /** Table name (after @@map) -> its column names (after @map). */
  tables: Map<string, Set<string>>;
}

const SCALAR_TYPES = new Set(["String", "Int", "BigInt", "Float", "Decimal", "Boolean", "DateTime", "Json", "Bytes"]);

/** The tables and columns of a Prisma schema file, as the database names them. */
export function readPrismaSchema(text: string): SchemaTables {
  const noComments = text.replace(/\/\/.*$/gm, "");
  const enums = new Set([...noComments.matchAll(/^\s*enum\s+(\w+)\s*\{/gm)].map((m) => m[1]!));
  const tables = new Map<string, Set<string>>();
  for (const block of noComments.matchAll(/^\s*model\s+(\w+)\s*\{([\s\S]*?)^\s*\}/gm)) {
    const [, model, body] = block;
    let table = model!;
    const columns = new Set<string>();
    for (const line of body!.split("\n")) {
      const mapped = /^\s*@@map\(\s*"([^"]+)"\s*\)/.exec(line);
      if (mapped) table = mapped[1]!;
      const field = /^\s*(\w+)\s+(\w+|Unsupported\("[^"]*"\))(\[\])?\??(.*)$/.exec(line);
      if (!field || line.trim().startsWith("@@")) continue;
      const [, name, type, , rest] = field;
      if (!SCALAR_TYPES.has(type!) && !enums.has(type!) && !type!.startsWith("Unsupported(")) continue; // a relation field
      columns.add(/@map\(\s*"([^"]+)"\s*\)/.exec(rest!)?.[1] ?? name!);
    }
    tables.set(table, columns);
  }
  return { tables };
}

export interface FoundStatement {
  file: string;
  line: number;
  /** How it was found: the tag or the call. */
  via: string;
  /** The SQL with each `${...}` replaced by `?`. */
  sql: string;
}

/** Reads a template literal starting at `start` (the opening backtick); returns its text with `?` for each expression, and where it ends. */
function readTemplate(source: string, start: number): { text: string; end: number } {
  let text = "";
  let i = start + 1;
  while (i < source.length) {
    const ch = source[i]!;
    if (ch === "\\") {
      text += source.slice(i, i + 2);
      i += 2;
    } else if (ch === "`") {
      return { text, end: i + 1 };
    } else if (ch === "$" && source[i + 1] === "{") {
      i = skipExpression(source, i + 2);
      text += "?";
    } else {
      text += ch;
      i += 1;
    }
  }
  throw new Error(`unterminated template literal at ${start}`);
}

/** Skips a `${...}` expression (strings, nested templates and braces included); returns the index after its `}`. */
function skipExpression(source: string, i: number): number {
  let depth = 1;
  while (i < source.length) {
    const ch = source[i]!;
    if (ch === "`") i = readTemplate(source, i).end;
    else if (ch === '"' || ch === "'") i = skipString(source, i);
    else {
      if (ch === "{") depth += 1;
      if (ch === "}" && --depth === 0) return i + 1;
      i += 1;
    }
  }
  throw new Error("unterminated ${ expression");
}

function skipString(source: string, start: number): number {
  const quote = source[start];
  let i = start + 1;
  while (i < source.length && source[i] !== quote) i += source[i] === "\\" ? 2 : 1;
  return i + 1;
}

function readStringLiteral(source: string, start: number): string | null {
  const quote = source[start];
  if (quote === "`") return readTemplate(source, start).text;
  if (quote !== '"' && quote !== "'") return null;
  return source.slice(start + 1, skipString(source, start) - 1).replace(/\\(.)/g, "$1");
}

const TAGGED = /(?:\b(selectRows|selectRow|execute|Prisma\.sql|sql)|(\$queryRaw|\$executeRaw))\s*(?:<(?:[^<>`]|<[^<>`]*>)*>)?\s*`/g;
const CALLED = /(\$queryRawUnsafe|\$executeRawUnsafe|\.prepare|\.query|Prisma\.raw)\s*(?:<(?:[^<>`()]|<[^<>`]*>)*>)?\(\s*(["'`])/g;

/** Every statement written by hand in one source file. */
export function findStatements(file: string, source: string): FoundStatement[] {
  const lineOf = (index: number) => source.slice(0, index).split("\n").length;
  const found: FoundStatement[] = [];
  for (const match of source.matchAll(TAGGED)) {
    const start = match.index! + match[0].length - 1;
    found.push({ file, line: lineOf(match.index!), via: (match[1] ?? match[2])!, sql: readTemplate(source, start).text });
  }
  for (const match of source.matchAll(CALLED)) {
    const start = match.index! + match[0].length - 1;
    const sql = readStringLiteral(source, start);
    if (sql !== null) found.push({ file, line: lineOf(match.index!), via: match[1]!.replace(/^\./, ""), sql });
  }
  return found.sort((a, b) => a.line - b.line);
}

export interface UnknownName {
  kind: "table" | "column";
  name: string;
  /** For a column: the tables it was looked for in. */
  tables?: string[];
}

const TABLE_KEYWORD = /\b(FROM|JOIN|INTO|UPDATE)\s+"([^"]+)"(?:\s+(?:AS\s+)?(?!(?:WHERE|SET|ON|JOIN|LEFT|INNER|GROUP|ORDER|LIMIT|VALUES|USING|RETURNING|AS)\b)([A-Za-z_]\w*|"[^"]+"))?/gi;

/** The tables and columns `sql` names that `schema` does not have. */
export function unknownNames(sql: string, schema: SchemaTables): UnknownName[] {
  // Literals and comments name nothing.
  const text = sql.replace(/'(?:[^']|'')*'/g, "''").replace(/--.*$/gm, "");
  const unknown: UnknownName[] = [];
  const aliases = new Map<string, string>(); // alias or table name -> table
  const tableSpans = new Set<number>(); // where the table names are, so they are not read as columns
  let insertTable: string | null = null;
  for (const m of text.matchAll(TABLE_KEYWORD)) {
    const table = m[2]!;
    tableSpans.add(m.index! + m[0].indexOf(`"${table}"`));
    if (!schema.tables.has(table)) {
      unknown.push({ kind: "table", name: table });
      continue;
    }
    aliases.set(table, table);
    if (m[3]) aliases.set(m[3].replace(/"/g, ""), table);
    if (m[1]!.toUpperCase() === "INTO") insertTable = table;
  }
  if (insertTable) aliases.set("excluded", insertTable);
  const statementTables = [...new Set(aliases.values())];
  const resultNames = new Set([...text.matchAll(/\bAS\s+"([^"]+)"/gi)].map((m) => m[1]!));
  const everyColumn = (tables: string[]) => new Set(tables.flatMap((t) => [...schema.tables.get(t)!]));
  // A fragment (a condition built apart, spliced into a statement elsewhere) may name columns of the
  // statement's table, which it does not name itself: checked against every table.
  const fragment = !/^\s*(SELECT|INSERT|UPDATE|DELETE|WITH|VALUES)\b/i.test(text);
  const scope = statementTables.length && !fragment ? statementTables : [...schema.tables.keys()];
  const inScope = everyColumn(scope);

  for (const m of text.matchAll(/(?:([A-Za-z_]\w*|"[^"]+")\.)?"([^"]+)"/g)) {
    const column = m[2]!;
    const at = m.index! + (m[1] ? m[1].length + 1 : 0);
    if (tableSpans.has(at)) continue; // a table name, checked above
    const afterAs = /\bAS\s+$/i.test(text.slice(0, at));
    if (afterAs) continue; // a result name or a derived table's alias
    const qualifier = m[1]?.replace(/"/g, "");
    const table = qualifier ? aliases.get(qualifier) : undefined;
    if (table) {
      if (!schema.tables.get(table)!.has(column)) unknown.push({ kind: "column", name: `${qualifier}.${column}`, tables: [table] });
    } else if (!inScope.has(column) && !resultNames.has(column) && !(qualifier === undefined && schema.tables.has(column))) {
      unknown.push({ kind: "column", name: qualifier ? `${qualifier}.${column}` : column, tables: scope });
    }
  }
  return unknown;
}
