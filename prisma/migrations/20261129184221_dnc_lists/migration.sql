-- CreateTable
CREATE TABLE "DncEntry" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "phone" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "addedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "liftedAt" TIMESTAMP(3),
    "liftedById" TEXT,
    "liftReason" TEXT,
    "liveKey" TEXT,

    CONSTRAINT "DncEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DncRegistryUpload" (
    "id" SERIAL NOT NULL,
    "organizationId" TEXT NOT NULL,
    "areaCode" SMALLINT NOT NULL,
    "fileName" TEXT NOT NULL,
    "extractDate" DATE NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'loading',
    "byteSize" INTEGER NOT NULL DEFAULT 0,
    "numberCount" INTEGER NOT NULL DEFAULT 0,
    "rejectedCount" INTEGER NOT NULL DEFAULT 0,
    "duplicateCount" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "uploadedById" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeatAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "DncRegistryUpload_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DncRegistryAreaCode" (
    "organizationId" TEXT NOT NULL,
    "areaCode" SMALLINT NOT NULL,
    "uploadId" INTEGER NOT NULL,
    "extractDate" DATE NOT NULL,
    "numberCount" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DncRegistryAreaCode_pkey" PRIMARY KEY ("organizationId","areaCode")
);

-- CreateTable
CREATE TABLE "DncRegistryNumber" (
    "uploadId" INTEGER NOT NULL,
    "number" BIGINT NOT NULL,

    CONSTRAINT "DncRegistryNumber_pkey" PRIMARY KEY ("uploadId","number")
);

-- CreateTable
CREATE TABLE "DncCheck" (
    "id" BIGSERIAL NOT NULL,
    "organizationId" TEXT NOT NULL,
    "phone" TEXT NOT NULL,
    "listed" BOOLEAN NOT NULL,
    "sources" TEXT[],
    "registryExtractDate" DATE,
    "purpose" TEXT,
    "checkedById" TEXT,
    "checkedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DncCheck_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DncEntry_organizationId_phone_idx" ON "DncEntry"("organizationId", "phone");

-- CreateIndex
CREATE INDEX "DncEntry_organizationId_createdAt_idx" ON "DncEntry"("organizationId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "DncEntry_organizationId_liveKey_key" ON "DncEntry"("organizationId", "liveKey");

-- CreateIndex
CREATE INDEX "DncRegistryUpload_organizationId_startedAt_idx" ON "DncRegistryUpload"("organizationId", "startedAt");

-- CreateIndex
CREATE UNIQUE INDEX "DncRegistryAreaCode_uploadId_key" ON "DncRegistryAreaCode"("uploadId");

-- CreateIndex
CREATE INDEX "DncCheck_organizationId_phone_checkedAt_idx" ON "DncCheck"("organizationId", "phone", "checkedAt");

-- CreateIndex
CREATE INDEX "DncCheck_organizationId_checkedAt_idx" ON "DncCheck"("organizationId", "checkedAt");

-- AddForeignKey
ALTER TABLE "DncEntry" ADD CONSTRAINT "DncEntry_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DncRegistryUpload" ADD CONSTRAINT "DncRegistryUpload_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DncRegistryAreaCode" ADD CONSTRAINT "DncRegistryAreaCode_uploadId_fkey" FOREIGN KEY ("uploadId") REFERENCES "DncRegistryUpload"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DncCheck" ADD CONSTRAINT "DncCheck_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

