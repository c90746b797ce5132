-- CreateTable
CREATE TABLE "ProxyRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "signature" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "ProxyRequest_shopId_customerId_createdAt_idx" ON "ProxyRequest"("shopId", "customerId", "createdAt");

-- CreateIndex
CREATE INDEX "ProxyRequest_createdAt_idx" ON "ProxyRequest"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ProxyRequest_shopId_signature_key" ON "ProxyRequest"("shopId", "signature");

