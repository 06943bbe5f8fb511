-- CreateEnum
CREATE TYPE "PaidProvider" AS ENUM ('attom', 'batchdata', 'twilio_lookup', 'twilio_sms');

-- CreateEnum
CREATE TYPE "ReservationStatus" AS ENUM ('reserved', 'settled', 'released');

-- CreateEnum
CREATE TYPE "KillSwitchKind" AS ENUM ('search', 'skip_trace', 'sms');

-- CreateEnum
CREATE TYPE "CacheEntryStatus" AS ENUM ('pending', 'ready');

-- CreateEnum
CREATE TYPE "LeadSource" AS ENUM ('attom', 'sandbox', 'csv', 'manual');

-- CreateEnum
CREATE TYPE "LeadStatus" AS ENUM ('new', 'contacted', 'replied', 'interested', 'negotiating', 'under_contract', 'closed', 'dead');

-- CreateEnum
CREATE TYPE "Temperature" AS ENUM ('DEAD', 'WARM', 'HOT', 'ON_FIRE');

-- CreateTable
CREATE TABLE "BudgetSetting" (
    "organizationId" TEXT NOT NULL,
    "provider" "PaidProvider" NOT NULL,
    "dailyCapCents" INTEGER,
    "costPerCallCents" INTEGER,
    "updatedById" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BudgetSetting_pkey" PRIMARY KEY ("organizationId","provider")
);

-- CreateTable
CREATE TABLE "DailySpend" (
    "organizationId" TEXT NOT NULL,
    "provider" "PaidProvider" NOT NULL,
    "day" DATE NOT NULL,
    "spentCents" INTEGER NOT NULL DEFAULT 0,
    "reservedCents" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DailySpend_pkey" PRIMARY KEY ("organizationId","provider","day")
);

-- CreateTable
CREATE TABLE "SpendReservation" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "provider" "PaidProvider" NOT NULL,
    "day" DATE NOT NULL,
    "operation" TEXT NOT NULL,
    "cents" INTEGER NOT NULL,
    "status" "ReservationStatus" NOT NULL DEFAULT 'reserved',
    "requestId" TEXT,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closedAt" TIMESTAMP(3),

    CONSTRAINT "SpendReservation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SpendEntry" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "provider" "PaidProvider" NOT NULL,
    "operation" TEXT NOT NULL,
    "cents" INTEGER NOT NULL,
    "simulated" BOOLEAN NOT NULL DEFAULT false,
    "relatedType" TEXT,
    "relatedId" TEXT,
    "requestId" TEXT,
    "reservationId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SpendEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "KillSwitch" (
    "organizationId" TEXT NOT NULL,
    "kind" "KillSwitchKind" NOT NULL,
    "engaged" BOOLEAN NOT NULL DEFAULT false,
    "reason" TEXT NOT NULL,
    "changedById" TEXT,
    "changedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "KillSwitch_pkey" PRIMARY KEY ("organizationId","kind")
);

-- CreateTable
CREATE TABLE "ProviderStatus" (
    "provider" TEXT NOT NULL,
    "lastSuccessAt" TIMESTAMP(3),
    "lastErrorAt" TIMESTAMP(3),
    "lastErrorMessage" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProviderStatus_pkey" PRIMARY KEY ("provider")
);

-- CreateTable
CREATE TABLE "ProviderCacheEntry" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "cacheKey" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "status" "CacheEntryStatus" NOT NULL DEFAULT 'pending',
    "leaseUntil" TIMESTAMP(3),
    "response" JSONB,
    "costCents" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProviderCacheEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SearchRun" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "userId" TEXT,
    "provider" TEXT NOT NULL,
    "query" JSONB NOT NULL,
    "page" INTEGER NOT NULL,
    "resultCount" INTEGER NOT NULL,
    "total" INTEGER NOT NULL,
    "costCents" INTEGER NOT NULL,
    "cacheHit" BOOLEAN NOT NULL,
    "requestId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SearchRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Lead" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "source" "LeadSource" NOT NULL,
    "externalId" TEXT,
    "addressLine1" TEXT NOT NULL,
    "city" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "zip" TEXT NOT NULL,
    "normalizedAddress" TEXT NOT NULL,
    "ownerName" TEXT,
    "normalizedOwner" TEXT NOT NULL,
    "dedupKey" TEXT NOT NULL,
    "ownerIsCorporate" BOOLEAN NOT NULL DEFAULT false,
    "mailingAddress" TEXT,
    "absentee" BOOLEAN,
    "propertyType" TEXT,
    "beds" DOUBLE PRECISION,
    "baths" DOUBLE PRECISION,
    "sizeSqft" INTEGER,
    "yearBuilt" INTEGER,
    "estimatedValueCents" BIGINT,
    "assessedValueCents" BIGINT,
    "equityPct" DOUBLE PRECISION,
    "lastSaleDate" DATE,
    "lastSalePriceCents" BIGINT,
    "latitude" DOUBLE PRECISION,
    "longitude" DOUBLE PRECISION,
    "vacant" BOOLEAN,
    "status" "LeadStatus" NOT NULL DEFAULT 'new',
    "score" INTEGER NOT NULL DEFAULT 0,
    "temperature" "Temperature" NOT NULL DEFAULT 'DEAD',
    "scoreFactors" JSONB,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Lead_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SpendReservation_status_expiresAt_idx" ON "SpendReservation"("status", "expiresAt");

-- CreateIndex
CREATE INDEX "SpendReservation_organizationId_createdAt_idx" ON "SpendReservation"("organizationId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "SpendEntry_reservationId_key" ON "SpendEntry"("reservationId");

-- CreateIndex
CREATE INDEX "SpendEntry_organizationId_provider_createdAt_idx" ON "SpendEntry"("organizationId", "provider", "createdAt");

-- CreateIndex
CREATE INDEX "SpendEntry_organizationId_createdAt_idx" ON "SpendEntry"("organizationId", "createdAt");

-- CreateIndex
CREATE INDEX "ProviderCacheEntry_day_idx" ON "ProviderCacheEntry"("day");

-- CreateIndex
CREATE UNIQUE INDEX "ProviderCacheEntry_organizationId_provider_cacheKey_day_key" ON "ProviderCacheEntry"("organizationId", "provider", "cacheKey", "day");

-- CreateIndex
CREATE INDEX "SearchRun_organizationId_createdAt_idx" ON "SearchRun"("organizationId", "createdAt");

-- CreateIndex
CREATE INDEX "Lead_organizationId_createdAt_idx" ON "Lead"("organizationId", "createdAt");

-- CreateIndex
CREATE INDEX "Lead_organizationId_status_idx" ON "Lead"("organizationId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Lead_organizationId_dedupKey_key" ON "Lead"("organizationId", "dedupKey");

-- AddForeignKey
ALTER TABLE "BudgetSetting" ADD CONSTRAINT "BudgetSetting_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DailySpend" ADD CONSTRAINT "DailySpend_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SpendReservation" ADD CONSTRAINT "SpendReservation_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SpendEntry" ADD CONSTRAINT "SpendEntry_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KillSwitch" ADD CONSTRAINT "KillSwitch_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProviderCacheEntry" ADD CONSTRAINT "ProviderCacheEntry_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SearchRun" ADD CONSTRAINT "SearchRun_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Lead" ADD CONSTRAINT "Lead_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
