-- AlterTable
ALTER TABLE "OrganizationSettings" ADD COLUMN     "allowDncWithExpressConsent" BOOLEAN NOT NULL DEFAULT false;

