-- CreateIndex
CREATE INDEX "Customer_shopId_lifetimeEarned_idx" ON "Customer"("shopId", "lifetimeEarned");

-- CreateIndex
CREATE INDEX "LedgerEntry_shopId_createdAt_idx" ON "LedgerEntry"("shopId", "createdAt");

