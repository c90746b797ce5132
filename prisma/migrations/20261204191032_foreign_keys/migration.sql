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
--    here: the migration stops, before changing anything else, naming the check that failed.
CREATE TEMP TABLE "foreign_keys_guard" (
    "rows" INTEGER NOT NULL,
    CONSTRAINT "rows of LedgerEntry, IssuedCode or OrderRecord name a customerId that is not a Customer of their shop: fix them, then migrate again" CHECK ("rows" = 0)
);
INSERT INTO "foreign_keys_guard" ("rows") SELECT (SELECT COUNT(*) FROM "LedgerEntry" x WHERE x."customerId" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "Customer" c WHERE c."shopId" = x."shopId" AND c."id" = x."customerId")) + (SELECT COUNT(*) FROM "IssuedCode" x WHERE x."customerId" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "Customer" c WHERE c."shopId" = x."shopId" AND c."id" = x."customerId")) + (SELECT COUNT(*) FROM "OrderRecord" x WHERE x."customerId" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "Customer" c WHERE c."shopId" = x."shopId" AND c."id" = x."customerId"));
DROP TABLE "foreign_keys_guard";

-- 3. What Prisma generated. SQLite adds a foreign key only by rebuilding the table: each is copied
--    into a new one with its keys (foreign_keys=OFF while it runs: Prisma runs SQLite migrations
--    outside a transaction, so the pragma takes effect and dropping a table cascades nothing).

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Campaign" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "multiplier" TEXT NOT NULL,
    "startsAt" DATETIME NOT NULL,
    "endsAt" DATETIME NOT NULL,
    "minSubtotal" TEXT,
    "firstOrderOnly" BOOLEAN NOT NULL DEFAULT false,
    "promoCode" TEXT,
    "endedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Campaign_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Campaign" ("createdAt", "endedAt", "endsAt", "firstOrderOnly", "id", "minSubtotal", "multiplier", "name", "promoCode", "shopId", "startsAt", "updatedAt") SELECT "createdAt", "endedAt", "endsAt", "firstOrderOnly", "id", "minSubtotal", "multiplier", "name", "promoCode", "shopId", "startsAt", "updatedAt" FROM "Campaign";
DROP TABLE "Campaign";
ALTER TABLE "new_Campaign" RENAME TO "Campaign";
CREATE INDEX "Campaign_shopId_startsAt_endsAt_idx" ON "Campaign"("shopId", "startsAt", "endsAt");
CREATE TABLE "new_Customer" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "shopifyCustomerId" TEXT NOT NULL,
    "email" TEXT,
    "firstName" TEXT,
    "lastName" TEXT,
    "balance" INTEGER NOT NULL DEFAULT 0,
    "pending" INTEGER NOT NULL DEFAULT 0,
    "lifetimeEarned" INTEGER NOT NULL DEFAULT 0,
    "lastActivityAt" DATETIME,
    "redactedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Customer_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Customer" ("balance", "createdAt", "email", "firstName", "id", "lastActivityAt", "lastName", "lifetimeEarned", "pending", "redactedAt", "shopId", "shopifyCustomerId", "updatedAt") SELECT "balance", "createdAt", "email", "firstName", "id", "lastActivityAt", "lastName", "lifetimeEarned", "pending", "redactedAt", "shopId", "shopifyCustomerId", "updatedAt" FROM "Customer";
DROP TABLE "Customer";
ALTER TABLE "new_Customer" RENAME TO "Customer";
CREATE INDEX "Customer_shopId_balance_idx" ON "Customer"("shopId", "balance");
CREATE INDEX "Customer_shopId_lifetimeEarned_idx" ON "Customer"("shopId", "lifetimeEarned");
CREATE INDEX "Customer_shopId_lastActivityAt_idx" ON "Customer"("shopId", "lastActivityAt");
CREATE INDEX "Customer_shopId_email_idx" ON "Customer"("shopId", "email");
CREATE UNIQUE INDEX "Customer_shopId_shopifyCustomerId_key" ON "Customer"("shopId", "shopifyCustomerId");
CREATE UNIQUE INDEX "Customer_shopId_id_key" ON "Customer"("shopId", "id");
CREATE TABLE "new_DataRequestExport" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "shopifyCustomerId" TEXT NOT NULL,
    "dataRequestId" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "document" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "DataRequestExport_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_DataRequestExport" ("createdAt", "dataRequestId", "document", "id", "shopId", "shopifyCustomerId", "summary", "webhookId") SELECT "createdAt", "dataRequestId", "document", "id", "shopId", "shopifyCustomerId", "summary", "webhookId" FROM "DataRequestExport";
DROP TABLE "DataRequestExport";
ALTER TABLE "new_DataRequestExport" RENAME TO "DataRequestExport";
CREATE INDEX "DataRequestExport_shopId_createdAt_idx" ON "DataRequestExport"("shopId", "createdAt");
CREATE INDEX "DataRequestExport_shopId_shopifyCustomerId_idx" ON "DataRequestExport"("shopId", "shopifyCustomerId");
CREATE UNIQUE INDEX "DataRequestExport_shopId_dataRequestId_key" ON "DataRequestExport"("shopId", "dataRequestId");
CREATE TABLE "new_IssuedCode" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "redemptionId" TEXT,
    "rewardSnapshot" TEXT NOT NULL,
    "startsAt" DATETIME NOT NULL,
    "endsAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL,
    "shopifyDiscountId" TEXT,
    "usedByOrderId" TEXT,
    "usedRevenue" TEXT,
    "pointsSpent" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "IssuedCode_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "IssuedCode_shopId_customerId_fkey" FOREIGN KEY ("shopId", "customerId") REFERENCES "Customer" ("shopId", "id") ON DELETE NO ACTION ON UPDATE CASCADE
);
INSERT INTO "new_IssuedCode" ("code", "createdAt", "customerId", "endsAt", "id", "pointsSpent", "redemptionId", "rewardSnapshot", "shopId", "shopifyDiscountId", "source", "startsAt", "status", "updatedAt", "usedByOrderId", "usedRevenue") SELECT "code", "createdAt", "customerId", "endsAt", "id", "pointsSpent", "redemptionId", "rewardSnapshot", "shopId", "shopifyDiscountId", "source", "startsAt", "status", "updatedAt", "usedByOrderId", "usedRevenue" FROM "IssuedCode";
DROP TABLE "IssuedCode";
ALTER TABLE "new_IssuedCode" RENAME TO "IssuedCode";
CREATE INDEX "IssuedCode_shopId_status_endsAt_idx" ON "IssuedCode"("shopId", "status", "endsAt");
CREATE INDEX "IssuedCode_shopId_customerId_idx" ON "IssuedCode"("shopId", "customerId");
CREATE UNIQUE INDEX "IssuedCode_shopId_code_key" ON "IssuedCode"("shopId", "code");
CREATE UNIQUE INDEX "IssuedCode_shopId_redemptionId_key" ON "IssuedCode"("shopId", "redemptionId");
CREATE TABLE "new_LedgerEntry" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "points" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "reverses" TEXT,
    "status" TEXT NOT NULL,
    "availableAt" DATETIME NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "orderId" TEXT,
    "refundId" TEXT,
    "campaignId" TEXT,
    "redemptionId" TEXT,
    "webhookId" TEXT,
    "eventId" TEXT,
    "actor" TEXT NOT NULL,
    "settingsVersion" INTEGER,
    "ruleSnapshot" TEXT,
    "reason" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "LedgerEntry_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "LedgerEntry_shopId_customerId_fkey" FOREIGN KEY ("shopId", "customerId") REFERENCES "Customer" ("shopId", "id") ON DELETE NO ACTION ON UPDATE CASCADE
);
INSERT INTO "new_LedgerEntry" ("actor", "availableAt", "campaignId", "createdAt", "customerId", "eventId", "id", "idempotencyKey", "kind", "orderId", "points", "reason", "redemptionId", "refundId", "reverses", "ruleSnapshot", "settingsVersion", "shopId", "status", "webhookId") SELECT "actor", "availableAt", "campaignId", "createdAt", "customerId", "eventId", "id", "idempotencyKey", "kind", "orderId", "points", "reason", "redemptionId", "refundId", "reverses", "ruleSnapshot", "settingsVersion", "shopId", "status", "webhookId" FROM "LedgerEntry";
DROP TABLE "LedgerEntry";
ALTER TABLE "new_LedgerEntry" RENAME TO "LedgerEntry";
CREATE INDEX "LedgerEntry_shopId_createdAt_idx" ON "LedgerEntry"("shopId", "createdAt");
CREATE INDEX "LedgerEntry_shopId_customerId_createdAt_idx" ON "LedgerEntry"("shopId", "customerId", "createdAt");
CREATE INDEX "LedgerEntry_shopId_orderId_idx" ON "LedgerEntry"("shopId", "orderId");
CREATE INDEX "LedgerEntry_status_availableAt_idx" ON "LedgerEntry"("status", "availableAt");
CREATE UNIQUE INDEX "LedgerEntry_shopId_idempotencyKey_key" ON "LedgerEntry"("shopId", "idempotencyKey");
CREATE TABLE "new_OrderRecord" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "orderName" TEXT,
    "customerId" TEXT,
    "lockVersion" INTEGER NOT NULL DEFAULT 0,
    "processedAt" DATETIME,
    "paidAt" DATETIME,
    "totalPrice" TEXT,
    "earnSnapshot" TEXT,
    "earnOutcome" TEXT,
    "refunds" TEXT NOT NULL DEFAULT '[]',
    "refundedEligible" TEXT NOT NULL DEFAULT '0',
    "cancelledAt" DATETIME,
    "discountCodes" TEXT NOT NULL DEFAULT '[]',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "OrderRecord_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "OrderRecord_shopId_customerId_fkey" FOREIGN KEY ("shopId", "customerId") REFERENCES "Customer" ("shopId", "id") ON DELETE NO ACTION ON UPDATE CASCADE
);
INSERT INTO "new_OrderRecord" ("cancelledAt", "createdAt", "customerId", "discountCodes", "earnOutcome", "earnSnapshot", "id", "lockVersion", "orderId", "orderName", "paidAt", "processedAt", "refundedEligible", "refunds", "shopId", "totalPrice", "updatedAt") SELECT "cancelledAt", "createdAt", "customerId", "discountCodes", "earnOutcome", "earnSnapshot", "id", "lockVersion", "orderId", "orderName", "paidAt", "processedAt", "refundedEligible", "refunds", "shopId", "totalPrice", "updatedAt" FROM "OrderRecord";
DROP TABLE "OrderRecord";
ALTER TABLE "new_OrderRecord" RENAME TO "OrderRecord";
CREATE INDEX "OrderRecord_shopId_customerId_processedAt_idx" ON "OrderRecord"("shopId", "customerId", "processedAt");
CREATE INDEX "OrderRecord_shopId_processedAt_idx" ON "OrderRecord"("shopId", "processedAt");
CREATE UNIQUE INDEX "OrderRecord_shopId_orderId_key" ON "OrderRecord"("shopId", "orderId");
CREATE TABLE "new_OutboxJob" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "runAfter" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseOwner" TEXT,
    "leaseUntil" DATETIME,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "OutboxJob_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_OutboxJob" ("attempts", "createdAt", "dedupeKey", "id", "kind", "lastError", "leaseOwner", "leaseUntil", "payload", "runAfter", "shopId", "status", "updatedAt") SELECT "attempts", "createdAt", "dedupeKey", "id", "kind", "lastError", "leaseOwner", "leaseUntil", "payload", "runAfter", "shopId", "status", "updatedAt" FROM "OutboxJob";
DROP TABLE "OutboxJob";
ALTER TABLE "new_OutboxJob" RENAME TO "OutboxJob";
CREATE INDEX "OutboxJob_status_runAfter_idx" ON "OutboxJob"("status", "runAfter");
CREATE UNIQUE INDEX "OutboxJob_shopId_dedupeKey_key" ON "OutboxJob"("shopId", "dedupeKey");
CREATE TABLE "new_ProgramSettings" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "settings" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ProgramSettings_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_ProgramSettings" ("actor", "createdAt", "id", "settings", "shopId", "version") SELECT "actor", "createdAt", "id", "settings", "shopId", "version" FROM "ProgramSettings";
DROP TABLE "ProgramSettings";
ALTER TABLE "new_ProgramSettings" RENAME TO "ProgramSettings";
CREATE UNIQUE INDEX "ProgramSettings_shopId_version_key" ON "ProgramSettings"("shopId", "version");
CREATE TABLE "new_ProxyRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "signature" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ProxyRequest_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_ProxyRequest" ("createdAt", "customerId", "id", "shopId", "signature") SELECT "createdAt", "customerId", "id", "shopId", "signature" FROM "ProxyRequest";
DROP TABLE "ProxyRequest";
ALTER TABLE "new_ProxyRequest" RENAME TO "ProxyRequest";
CREATE INDEX "ProxyRequest_shopId_customerId_createdAt_idx" ON "ProxyRequest"("shopId", "customerId", "createdAt");
CREATE INDEX "ProxyRequest_createdAt_idx" ON "ProxyRequest"("createdAt");
CREATE UNIQUE INDEX "ProxyRequest_shopId_signature_key" ON "ProxyRequest"("shopId", "signature");
CREATE TABLE "new_Reward" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "pointsCost" INTEGER NOT NULL,
    "discountType" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "minSubtotal" TEXT,
    "validityDays" INTEGER NOT NULL DEFAULT 30,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Reward_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Reward" ("active", "createdAt", "discountType", "id", "minSubtotal", "name", "pointsCost", "shopId", "updatedAt", "validityDays", "value") SELECT "active", "createdAt", "discountType", "id", "minSubtotal", "name", "pointsCost", "shopId", "updatedAt", "validityDays", "value" FROM "Reward";
DROP TABLE "Reward";
ALTER TABLE "new_Reward" RENAME TO "Reward";
CREATE INDEX "Reward_shopId_active_idx" ON "Reward"("shopId", "active");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

