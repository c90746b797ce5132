-- CreateTable
CREATE TABLE "DataRequestExport" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "shopifyCustomerId" TEXT NOT NULL,
    "dataRequestId" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "document" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "DataRequestExport_shopId_createdAt_idx" ON "DataRequestExport"("shopId", "createdAt");

-- CreateIndex
CREATE INDEX "DataRequestExport_shopId_shopifyCustomerId_idx" ON "DataRequestExport"("shopId", "shopifyCustomerId");

-- CreateIndex
CREATE UNIQUE INDEX "DataRequestExport_shopId_dataRequestId_key" ON "DataRequestExport"("shopId", "dataRequestId");

