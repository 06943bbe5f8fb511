-- CreateEnum
CREATE TYPE "ConsentType" AS ENUM ('express_written', 'verbal', 'inbound_initiated');

-- AlterTable
ALTER TABLE "OrganizationSettings" ADD COLUMN     "requireRecordedConsent" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "ConsentEvent" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "phone" TEXT NOT NULL,
    "leadId" TEXT,
    "type" "ConsentType" NOT NULL,
    "source" TEXT NOT NULL,
    "evidence" TEXT NOT NULL,
    "documentRef" TEXT,
    "actorUserId" TEXT,
    "suppressionId" TEXT,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConsentEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ConsentEvent_organizationId_occurredAt_idx" ON "ConsentEvent"("organizationId", "occurredAt");

-- CreateIndex
CREATE INDEX "ConsentEvent_organizationId_phone_occurredAt_idx" ON "ConsentEvent"("organizationId", "phone", "occurredAt");

-- CreateIndex
CREATE INDEX "ConsentEvent_organizationId_leadId_idx" ON "ConsentEvent"("organizationId", "leadId");

-- CreateIndex
CREATE INDEX "ConsentEvent_suppressionId_idx" ON "ConsentEvent"("suppressionId");

-- AddForeignKey
ALTER TABLE "ConsentEvent" ADD CONSTRAINT "ConsentEvent_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

