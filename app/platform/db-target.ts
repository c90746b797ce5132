// Which database DATABASE_URL names. Shared by the Prisma CLI config and app/db.server.ts so both
// always agree. Kept free of imports from the app so prisma.config.ts can load it.
import path from "node:path";

export const DEFAULT_DATABASE_URL = "file:./prisma/dev.sqlite";

export type DatabaseTarget = { provider: "sqlite"; url: string; file: string } | { provider: "postgresql"; url: string };

export function databaseTarget(rawUrl: string | undefined, cwd = process.cwd()): DatabaseTarget {
  const url = rawUrl && rawUrl.trim() !== "" ? rawUrl.trim() : DEFAULT_DATABASE_URL;
  if (/^postgres(ql)?:\/\//.test(url)) return { provider: "postgresql", url };
  if (!url.startsWith("file:")) {
    throw new Error(`DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL), got "${url.split(":")[0]}:..."`);
  }
  // Relative paths are taken from the project root (cwd), so every entry point agrees on the file.
  const file = path.resolve(cwd, url.slice("file:".length).replace(/^\/\/(?=\/)/, ""));
  return { provider: "sqlite", url: `file:${file}`, file };
}
