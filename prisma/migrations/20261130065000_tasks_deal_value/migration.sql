-- Tasks and follow-ups on leads (issue 14 item 11), deal value and expected close on leads
-- (issue 13 item 2). The lead's next open task is denormalized onto "Lead" (nextTaskId,
-- nextTaskDueAt) by server/tasks/service.ts in the transaction that writes the task, after it
-- locks the lead row, so concurrent edits of one lead's tasks serialize on that lock.

-- AlterEnum: task timeline entries.
ALTER TYPE "ActivityKind" ADD VALUE 'task_created';
ALTER TYPE "ActivityKind" ADD VALUE 'task_completed';
ALTER TYPE "ActivityKind" ADD VALUE 'task_reopened';

-- AlterTable
ALTER TABLE "Lead" ADD COLUMN "dealValueCents" BIGINT,
ADD COLUMN "expectedCloseOn" DATE,
ADD COLUMN "nextTaskId" TEXT,
ADD COLUMN "nextTaskDueAt" TIMESTAMP(3);

-- A won lead's deal value is what it was won for.
UPDATE "Lead" SET "dealValueCents" = "wonAmountCents" WHERE "wonAmountCents" IS NOT NULL AND "dealValueCents" IS NULL;

-- CreateTable
CREATE TABLE "Task" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "leadId" TEXT NOT NULL,
    "note" TEXT NOT NULL,
    "dueOn" DATE NOT NULL,
    "dueTime" TEXT,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "assigneeId" TEXT,
    "createdById" TEXT,
    "completedAt" TIMESTAMP(3),
    "completedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Task_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "Task_organizationId_assigneeId_completedAt_dueAt_idx" ON "Task"("organizationId", "assigneeId", "completedAt", "dueAt");
CREATE INDEX "Task_leadId_completedAt_dueAt_idx" ON "Task"("leadId", "completedAt", "dueAt");
CREATE UNIQUE INDEX "Lead_nextTaskId_key" ON "Lead"("nextTaskId");
CREATE INDEX "Lead_organizationId_nextTaskDueAt_idx" ON "Lead"("organizationId", "nextTaskDueAt");
CREATE INDEX "Lead_organizationId_dealValueCents_idx" ON "Lead"("organizationId", "dealValueCents");

ALTER TABLE "Task" ADD CONSTRAINT "Task_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Task" ADD CONSTRAINT "Task_organizationId_leadId_fkey" FOREIGN KEY ("organizationId", "leadId") REFERENCES "Lead"("organizationId", "id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Task" ADD CONSTRAINT "Task_assigneeId_fkey" FOREIGN KEY ("assigneeId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "Task" ADD CONSTRAINT "Task_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "Task" ADD CONSTRAINT "Task_completedById_fkey" FOREIGN KEY ("completedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "Lead" ADD CONSTRAINT "Lead_nextTaskId_fkey" FOREIGN KEY ("nextTaskId") REFERENCES "Task"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Home's recent activity reads the organization's latest timeline events.
CREATE INDEX "ActivityEvent_organizationId_createdAt_idx" ON "ActivityEvent"("organizationId", "createdAt" DESC);
