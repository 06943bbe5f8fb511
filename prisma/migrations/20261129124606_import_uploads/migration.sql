-- CreateTable
CREATE TABLE "ImportUpload" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "createdById" TEXT,
    "fileName" TEXT NOT NULL,
    "byteSize" INTEGER NOT NULL DEFAULT 0,
    "encoding" TEXT NOT NULL DEFAULT 'utf-8',
    "rowCount" INTEGER NOT NULL DEFAULT 0,
    "problem" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "ImportUpload_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ImportUploadChunk" (
    "uploadId" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "ImportUploadChunk_pkey" PRIMARY KEY ("uploadId","index")
);

-- CreateIndex
CREATE INDEX "ImportUpload_organizationId_createdAt_idx" ON "ImportUpload"("organizationId", "createdAt");

-- AddForeignKey
ALTER TABLE "ImportUpload" ADD CONSTRAINT "ImportUpload_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImportUploadChunk" ADD CONSTRAINT "ImportUploadChunk_uploadId_fkey" FOREIGN KEY ("uploadId") REFERENCES "ImportUpload"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Existing imports keep their file: each becomes an upload of one chunk (the content was UTF-8).
INSERT INTO "ImportUpload" ("id", "organizationId", "createdById", "fileName", "byteSize", "encoding", "rowCount", "createdAt", "completedAt")
SELECT "id", "organizationId", "createdById", "fileName", length("content"), 'utf-8', "totalRows", "createdAt", "createdAt" FROM "ImportJob";
INSERT INTO "ImportUploadChunk" ("uploadId", "index", "data") SELECT "id", 0, "content" FROM "ImportJob";

-- AlterTable
ALTER TABLE "ImportJob" ADD COLUMN "uploadId" TEXT;
UPDATE "ImportJob" SET "uploadId" = "id";
ALTER TABLE "ImportJob" ALTER COLUMN "uploadId" SET NOT NULL;
ALTER TABLE "ImportJob" DROP COLUMN "content";

-- CreateIndex
CREATE INDEX "ImportJob_uploadId_idx" ON "ImportJob"("uploadId");

-- AddForeignKey
ALTER TABLE "ImportJob" ADD CONSTRAINT "ImportJob_uploadId_fkey" FOREIGN KEY ("uploadId") REFERENCES "ImportUpload"("id") ON DELETE NO ACTION ON UPDATE CASCADE;
