-- CreateTable
CREATE TABLE "PlaceResolution" (
    "id" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "nameKey" TEXT NOT NULL,
    "status" "CacheEntryStatus" NOT NULL DEFAULT 'pending',
    "leaseUntil" TIMESTAMP(3),
    "candidates" JSONB,
    "resolvedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PlaceResolution_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PlaceResolution_provider_kind_state_nameKey_key" ON "PlaceResolution"("provider", "kind", "state", "nameKey");
