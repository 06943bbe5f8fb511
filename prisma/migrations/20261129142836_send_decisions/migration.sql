-- CreateTable
CREATE TABLE "SendDecision" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "phone" TEXT NOT NULL,
    "leadId" TEXT,
    "kind" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "reason" TEXT,
    "message" TEXT,
    "deferredUntil" TIMESTAMP(3),
    "messageId" TEXT,
    "decidedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SendDecision_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SendDecision_organizationId_phone_decidedAt_idx" ON "SendDecision"("organizationId", "phone", "decidedAt");

-- CreateIndex
CREATE INDEX "SendDecision_organizationId_decidedAt_idx" ON "SendDecision"("organizationId", "decidedAt");

-- AddForeignKey
ALTER TABLE "SendDecision" ADD CONSTRAINT "SendDecision_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

