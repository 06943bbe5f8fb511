-- CreateEnum
CREATE TYPE "AutoResponderFiringStatus" AS ENUM ('claimed', 'sent', 'blocked', 'deferred', 'failed', 'applied', 'throttled');

-- CreateEnum
CREATE TYPE "SequenceEnrollmentStatus" AS ENUM ('active', 'completed', 'exited');

-- CreateTable
CREATE TABLE "AutoResponderRule" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "position" INTEGER NOT NULL DEFAULT 0,
    "intents" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "phrases" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "campaignId" TEXT,
    "replyTemplate" TEXT,
    "setStatus" "LeadStatus",
    "assignUserId" TEXT,
    "tagId" TEXT,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AutoResponderRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AutoResponderFiring" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "ruleId" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "inboundMessageId" TEXT NOT NULL,
    "status" "AutoResponderFiringStatus" NOT NULL,
    "matchReason" TEXT NOT NULL,
    "reason" TEXT,
    "reasonMessage" TEXT,
    "decisionId" TEXT,
    "messageId" TEXT,
    "actions" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AutoResponderFiring_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Sequence" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "campaignId" TEXT,
    "steps" JSONB NOT NULL,
    "exitStatuses" "LeadStatus"[] DEFAULT ARRAY[]::"LeadStatus"[],
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Sequence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SequenceEnrollment" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "sequenceId" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "leadId" TEXT,
    "phone" TEXT NOT NULL,
    "status" "SequenceEnrollmentStatus" NOT NULL DEFAULT 'active',
    "step" INTEGER NOT NULL DEFAULT 0,
    "lastSentAt" TIMESTAMP(3) NOT NULL,
    "exitReason" TEXT,
    "exitedAt" TIMESTAMP(3),
    "completedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SequenceEnrollment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AutoResponderRule_organizationId_position_idx" ON "AutoResponderRule"("organizationId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "AutoResponderFiring_messageId_key" ON "AutoResponderFiring"("messageId");

-- CreateIndex
CREATE INDEX "AutoResponderFiring_ruleId_conversationId_createdAt_idx" ON "AutoResponderFiring"("ruleId", "conversationId", "createdAt");

-- CreateIndex
CREATE INDEX "AutoResponderFiring_organizationId_createdAt_idx" ON "AutoResponderFiring"("organizationId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "AutoResponderFiring_ruleId_inboundMessageId_key" ON "AutoResponderFiring"("ruleId", "inboundMessageId");

-- CreateIndex
CREATE INDEX "Sequence_organizationId_createdAt_idx" ON "Sequence"("organizationId", "createdAt");

-- CreateIndex
CREATE INDEX "Sequence_campaignId_idx" ON "Sequence"("campaignId");

-- CreateIndex
CREATE INDEX "SequenceEnrollment_organizationId_phone_status_idx" ON "SequenceEnrollment"("organizationId", "phone", "status");

-- CreateIndex
CREATE INDEX "SequenceEnrollment_leadId_status_idx" ON "SequenceEnrollment"("leadId", "status");

-- CreateIndex
CREATE INDEX "SequenceEnrollment_campaignId_status_idx" ON "SequenceEnrollment"("campaignId", "status");

-- CreateIndex
CREATE INDEX "SequenceEnrollment_sequenceId_status_idx" ON "SequenceEnrollment"("sequenceId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "SequenceEnrollment_sequenceId_campaignId_phone_key" ON "SequenceEnrollment"("sequenceId", "campaignId", "phone");

-- AddForeignKey
ALTER TABLE "AutoResponderRule" ADD CONSTRAINT "AutoResponderRule_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AutoResponderFiring" ADD CONSTRAINT "AutoResponderFiring_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "AutoResponderRule"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Sequence" ADD CONSTRAINT "Sequence_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SequenceEnrollment" ADD CONSTRAINT "SequenceEnrollment_sequenceId_fkey" FOREIGN KEY ("sequenceId") REFERENCES "Sequence"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- A lead moved to one of a sequence's exit statuses leaves it, whatever path moved it: its
-- enrollment is exited, then (a second statement, so it also sees a step a concurrent sweep just
-- committed) the waiting follow-up steps of the lead's exited enrollments are excluded
-- (automation/sequences.ts).
CREATE FUNCTION leadflow_sequence_exit_on_status() RETURNS trigger
LANGUAGE plpgsql AS E'
BEGIN
  UPDATE "SequenceEnrollment" e SET "status" = ''exited'', "exitReason" = ''status_'' || NEW."status"::text, "exitedAt" = now(), "updatedAt" = now()
  FROM "Sequence" s
  WHERE e."leadId" = NEW."id" AND e."organizationId" = NEW."organizationId" AND e."status" = ''active''
    AND s."id" = e."sequenceId" AND NEW."status" = ANY(s."exitStatuses")\073
  UPDATE "CampaignRecipient" r SET "status" = ''excluded'', "reason" = ''sequence_exit'',
      "reasonMessage" = ''Left the follow-up sequence: the lead moved to '' || NEW."status"::text || ''.'', "updatedAt" = now()
  FROM "SequenceEnrollment" e
  WHERE e."leadId" = NEW."id" AND e."organizationId" = NEW."organizationId" AND e."status" = ''exited''
    AND r."campaignId" = e."campaignId" AND r."phone" = e."phone" AND r."step" >= 1 AND r."status" = ''pending''\073
  RETURN NULL\073
END
';
CREATE TRIGGER "Lead_sequence_exit" AFTER UPDATE OF "status" ON "Lead" FOR EACH ROW
  WHEN (OLD."status" IS DISTINCT FROM NEW."status")
  EXECUTE FUNCTION leadflow_sequence_exit_on_status();
