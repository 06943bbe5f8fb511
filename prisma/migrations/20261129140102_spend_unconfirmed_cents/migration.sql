-- AlterTable
ALTER TABLE "SpendEntry" ADD COLUMN     "unconfirmedCents" INTEGER NOT NULL DEFAULT 0;

