// The one Prisma client of the app (app/platform/db.server.ts makes it from DATABASE_URL).
import { createPrismaClient, type Db } from "./platform/db.server";

declare global {
  // Reused across dev-server reloads so hot reload does not open a new pool each time.
  var prismaGlobal: Db | undefined;
}

const prisma: Db = globalThis.prismaGlobal ?? createPrismaClient(process.env.DATABASE_URL, { poolSize: Number(process.env.DATABASE_POOL_SIZE ?? 10) || 10 });
if (process.env.NODE_ENV !== "production") globalThis.prismaGlobal = prisma;

export default prisma;
