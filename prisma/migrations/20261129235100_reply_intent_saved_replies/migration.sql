-- AlterEnum
ALTER TYPE "ActivityKind" ADD VALUE 'reply_classified';

-- AlterTable
ALTER TABLE "Lead" ADD COLUMN     "replyIntent" TEXT,
ADD COLUMN     "replyIntentAt" TIMESTAMP(3),
ADD COLUMN     "replyIntentReason" TEXT;

-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "replyIntent" TEXT,
ADD COLUMN     "replyIntentReason" TEXT;

-- AlterTable
ALTER TABLE "OrganizationSettings" ADD COLUMN     "replyIntentMode" TEXT NOT NULL DEFAULT 'suggest',
ADD COLUMN     "replyIntentRules" JSONB;

-- CreateTable
CREATE TABLE "SavedReply" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SavedReply_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "SavedReply_organizationId_name_key" ON "SavedReply"("organizationId", "name");

-- AddForeignKey
ALTER TABLE "SavedReply" ADD CONSTRAINT "SavedReply_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SavedReply" ADD CONSTRAINT "SavedReply_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- The mode is one of two words (lib/reply-intent REPLY_INTENT_MODES)
ALTER TABLE "OrganizationSettings" ADD CONSTRAINT "OrganizationSettings_replyIntentMode_check" CHECK ("replyIntentMode" IN ('suggest', 'apply'));
