-- CreateEnum
CREATE TYPE "ScheduledReplyStatus" AS ENUM ('scheduled', 'sending', 'sent', 'blocked', 'failed', 'cancelled');

-- DropIndex
DROP INDEX "Conversation_organizationId_lastMessageAt_idx";

-- CreateTable
CREATE TABLE "ScheduledReply" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "leadId" TEXT NOT NULL,
    "phone" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "sendAt" TIMESTAMP(3) NOT NULL,
    "status" "ScheduledReplyStatus" NOT NULL DEFAULT 'scheduled',
    "createdById" TEXT,
    "messageId" TEXT,
    "outcome" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ScheduledReply_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ScheduledReply_conversationId_status_idx" ON "ScheduledReply"("conversationId", "status");

-- CreateIndex
CREATE INDEX "ScheduledReply_organizationId_status_sendAt_idx" ON "ScheduledReply"("organizationId", "status", "sendAt");

-- CreateIndex
CREATE INDEX "Conversation_organizationId_lastMessageAt_id_idx" ON "Conversation"("organizationId", "lastMessageAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Conversation_organizationId_unreadCount_idx" ON "Conversation"("organizationId", "unreadCount");

-- CreateIndex
CREATE INDEX "Conversation_organizationId_lastCampaignId_idx" ON "Conversation"("organizationId", "lastCampaignId");

-- CreateIndex
CREATE INDEX "Conversation_phone_trgm" ON "Conversation" USING GIN ("phone" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Message_body_trgm" ON "Message" USING GIN ("body" gin_trgm_ops);

-- AddForeignKey
ALTER TABLE "ScheduledReply" ADD CONSTRAINT "ScheduledReply_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScheduledReply" ADD CONSTRAINT "ScheduledReply_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

