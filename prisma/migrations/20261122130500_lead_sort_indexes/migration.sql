-- DropIndex
DROP INDEX "Lead_organizationId_createdAt_id_idx";

-- DropIndex
DROP INDEX "Lead_organizationId_score_id_idx";

-- DropIndex
DROP INDEX "Lead_organizationId_updatedAt_id_idx";

-- CreateIndex
CREATE INDEX "Lead_organizationId_createdAt_id_idx" ON "Lead"("organizationId", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Lead_organizationId_updatedAt_id_idx" ON "Lead"("organizationId", "updatedAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Lead_organizationId_score_id_idx" ON "Lead"("organizationId", "score" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Lead_organizationId_ownerName_id_idx" ON "Lead"("organizationId", "ownerName", "id");

-- CreateIndex
CREATE INDEX "Lead_organizationId_addressLine1_id_idx" ON "Lead"("organizationId", "addressLine1", "id");

