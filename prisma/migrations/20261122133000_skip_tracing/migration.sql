-- CreateEnum
CREATE TYPE "SkipTraceOutcome" AS ENUM ('matched', 'no_match', 'failed');

-- CreateEnum
CREATE TYPE "SkipTraceJobStatus" AS ENUM ('pending', 'running', 'completed', 'stopped_cap', 'cancelled', 'failed');

-- AlterTable
ALTER TABLE "Lead" ADD COLUMN     "skipTraceClaimedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "OrganizationSettings" ADD COLUMN     "validateBestPhone" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "SkipTraceRecord" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "leadId" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "outcome" "SkipTraceOutcome" NOT NULL,
    "matched" BOOLEAN NOT NULL,
    "request" JSONB NOT NULL,
    "rawResponse" JSONB,
    "costCents" INTEGER NOT NULL,
    "simulated" BOOLEAN NOT NULL DEFAULT false,
    "confidence" INTEGER,
    "error" TEXT,
    "jobId" TEXT,
    "requestId" TEXT,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SkipTraceRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SkipTraceJob" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "createdById" TEXT,
    "status" "SkipTraceJobStatus" NOT NULL DEFAULT 'pending',
    "leadIds" TEXT[],
    "force" BOOLEAN NOT NULL DEFAULT false,
    "total" INTEGER NOT NULL,
    "processed" INTEGER NOT NULL DEFAULT 0,
    "matched" INTEGER NOT NULL DEFAULT 0,
    "noMatch" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "skippedRecent" INTEGER NOT NULL DEFAULT 0,
    "skippedNoAddress" INTEGER NOT NULL DEFAULT 0,
    "costCents" INTEGER NOT NULL DEFAULT 0,
    "stopReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "SkipTraceJob_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SkipTraceRecord_leadId_createdAt_idx" ON "SkipTraceRecord"("leadId", "createdAt");

-- CreateIndex
CREATE INDEX "SkipTraceRecord_organizationId_createdAt_idx" ON "SkipTraceRecord"("organizationId", "createdAt");

-- CreateIndex
CREATE INDEX "SkipTraceRecord_jobId_idx" ON "SkipTraceRecord"("jobId");

-- CreateIndex
CREATE INDEX "SkipTraceJob_organizationId_createdAt_idx" ON "SkipTraceJob"("organizationId", "createdAt");

-- AddForeignKey
ALTER TABLE "SkipTraceRecord" ADD CONSTRAINT "SkipTraceRecord_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SkipTraceRecord" ADD CONSTRAINT "SkipTraceRecord_leadId_fkey" FOREIGN KEY ("leadId") REFERENCES "Lead"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SkipTraceJob" ADD CONSTRAINT "SkipTraceJob_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

