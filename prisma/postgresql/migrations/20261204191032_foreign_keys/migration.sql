-- Foreign keys (docs/decisions/017-foreign-keys-and-schema-checks.md). Written by
-- `npm run db:migration -- foreign_keys`, then the data steps before the generated part were added by hand.
--
-- 1. Rows of a shop that no longer exists (a write that raced shop/redact before these keys existed)
--    are deleted: shop/redact would have deleted them, and nothing can read them.
DELETE FROM "ProgramSettings" WHERE "shopId" NOT IN (SELECT "id" FROM "Shop");
DELETE FROM "Customer" WHERE "shopId" NOT IN (SELECT "id" FROM "Shop");
DELETE FROM "LedgerEntry" WHERE "shopId" NOT IN (SELECT "id" FROM "Shop");
DELETE FROM "OrderRecord" WHERE "shopId" NOT IN (SELECT "id" FROM "Shop");
DELETE FROM "Campaign" WHERE "shopId" NOT IN (SELECT "id" FROM "Shop");
DELETE FROM "Reward" WHERE "shopId" NOT IN (SELECT "id" FROM "Shop");
DELETE FROM "IssuedCode" WHERE "shopId" NOT IN (SELECT "id" FROM "Shop");
DELETE FROM "OutboxJob" WHERE "shopId" NOT IN (SELECT "id" FROM "Shop");
DELETE FROM "DataRequestExport" WHERE "shopId" NOT IN (SELECT "id" FROM "Shop");
DELETE FROM "ProxyRequest" WHERE "shopId" NOT IN (SELECT "id" FROM "Shop");

-- 2. A ledger entry, code or order naming a member that is not in its own shop cannot be repaired
--    here: the migration stops, before changing anything else, saying so.
-- (@prisma/adapter-pg runs a migration one statement at a time, split at every semicolon, so no
-- DO block: casting the message to a date is what fails, only when there are such rows, and
-- PostgreSQL's error quotes the message. Not to a number: the adapter turns that error into one the
-- schema engine cannot read, and the message is lost.)
SELECT CAST(CASE WHEN "rows" > 0 THEN 'rows of LedgerEntry, IssuedCode or OrderRecord name a customerId that is not a Customer of their shop: fix them, then migrate again' END AS DATE)
FROM (SELECT (SELECT COUNT(*) FROM "LedgerEntry" x WHERE x."customerId" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "Customer" c WHERE c."shopId" = x."shopId" AND c."id" = x."customerId")) + (SELECT COUNT(*) FROM "IssuedCode" x WHERE x."customerId" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "Customer" c WHERE c."shopId" = x."shopId" AND c."id" = x."customerId")) + (SELECT COUNT(*) FROM "OrderRecord" x WHERE x."customerId" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "Customer" c WHERE c."shopId" = x."shopId" AND c."id" = x."customerId")) AS "rows") AS "mismatched";

-- 3. What Prisma generated.

-- CreateIndex
CREATE UNIQUE INDEX "Customer_shopId_id_key" ON "Customer"("shopId", "id");

-- AddForeignKey
ALTER TABLE "ProgramSettings" ADD CONSTRAINT "ProgramSettings_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Customer" ADD CONSTRAINT "Customer_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerEntry" ADD CONSTRAINT "LedgerEntry_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerEntry" ADD CONSTRAINT "LedgerEntry_shopId_customerId_fkey" FOREIGN KEY ("shopId", "customerId") REFERENCES "Customer"("shopId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrderRecord" ADD CONSTRAINT "OrderRecord_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrderRecord" ADD CONSTRAINT "OrderRecord_shopId_customerId_fkey" FOREIGN KEY ("shopId", "customerId") REFERENCES "Customer"("shopId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Campaign" ADD CONSTRAINT "Campaign_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Reward" ADD CONSTRAINT "Reward_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IssuedCode" ADD CONSTRAINT "IssuedCode_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IssuedCode" ADD CONSTRAINT "IssuedCode_shopId_customerId_fkey" FOREIGN KEY ("shopId", "customerId") REFERENCES "Customer"("shopId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutboxJob" ADD CONSTRAINT "OutboxJob_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DataRequestExport" ADD CONSTRAINT "DataRequestExport_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProxyRequest" ADD CONSTRAINT "ProxyRequest_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

