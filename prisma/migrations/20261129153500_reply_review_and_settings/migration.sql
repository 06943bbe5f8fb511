-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "replyOutcome" TEXT;

-- AlterTable
ALTER TABLE "OrganizationSettings" DROP COLUMN "helpReplyText",
DROP COLUMN "senderIdentity",
ADD COLUMN     "smsBrandName" TEXT,
ADD COLUMN     "smsHelpContact" TEXT,
ADD COLUMN     "smsReplyRules" JSONB,
ADD COLUMN     "smsReplyTexts" JSONB;

-- CreateTable
CREATE TABLE "SmsReplyReview" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "phone" TEXT NOT NULL,
    "leadId" TEXT,
    "ruleId" TEXT,
    "matchedText" TEXT,
    "reason" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMP(3),
    "resolvedById" TEXT,
    "resolution" TEXT,
    "suppressionId" TEXT,

    CONSTRAINT "SmsReplyReview_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "SmsReplyReview_messageId_key" ON "SmsReplyReview"("messageId");

-- CreateIndex
CREATE INDEX "SmsReplyReview_organizationId_resolvedAt_createdAt_idx" ON "SmsReplyReview"("organizationId", "resolvedAt", "createdAt");

-- AddForeignKey
ALTER TABLE "SmsReplyReview" ADD CONSTRAINT "SmsReplyReview_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SmsReplyReview" ADD CONSTRAINT "SmsReplyReview_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message"("id") ON DELETE CASCADE ON UPDATE CASCADE;

