-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "adminAuthLostAt" TIMESTAMP(3),
ADD COLUMN     "adminAuthLostReason" TEXT,
ADD COLUMN     "adminTokenLeaseOwner" TEXT,
ADD COLUMN     "adminTokenLeaseUntil" TIMESTAMP(3);

