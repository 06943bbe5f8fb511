-- AlterTable
ALTER TABLE "SmsSendPace" ADD COLUMN     "recentSends" TIMESTAMPTZ(6)[] DEFAULT ARRAY[]::TIMESTAMPTZ(6)[];

