-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "adminAuthLostAt" DATETIME;
ALTER TABLE "Shop" ADD COLUMN "adminAuthLostReason" TEXT;
ALTER TABLE "Shop" ADD COLUMN "adminTokenLeaseOwner" TEXT;
ALTER TABLE "Shop" ADD COLUMN "adminTokenLeaseUntil" DATETIME;

