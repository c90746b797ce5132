// Prisma CLI configuration. Prisma's native engines cannot be downloaded here (nor on many locked-down
// CI runners), so the CLI uses the JavaScript schema engine through a driver adapter, picked from
// DATABASE_URL: postgresql://... -> PostgreSQL (prisma/postgresql), anything else -> SQLite file.
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { databaseTarget } from "./app/platform/db-target";

const target = databaseTarget(process.env.DATABASE_URL);

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: target.provider === "postgresql" ? path.join("prisma", "postgresql", "schema.prisma") : path.join("prisma", "schema.prisma"),
  adapter: async () => (target.provider === "postgresql" ? new PrismaPg({ connectionString: target.url }) : new PrismaBetterSQLite3({ url: target.file })),
});
