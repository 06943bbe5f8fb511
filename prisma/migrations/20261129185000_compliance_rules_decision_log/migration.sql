-- DropIndex
DROP INDEX "SendDecision_organizationId_decidedAt_idx";

-- AlterTable
ALTER TABLE "SendDecision" ADD COLUMN     "actorUserId" TEXT,
ADD COLUMN     "campaignId" TEXT,
ADD COLUMN     "location" TEXT,
ADD COLUMN     "ruleName" TEXT,
ADD COLUMN     "ruleSource" TEXT;

-- CreateTable
CREATE TABLE "ComplianceRule" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "weekdays" JSONB NOT NULL,
    "saturday" JSONB NOT NULL,
    "sunday" JSONB NOT NULL,
    "frequencyCap" INTEGER,
    "source" TEXT NOT NULL,
    "note" TEXT,
    "position" INTEGER NOT NULL DEFAULT 0,
    "updatedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ComplianceRule_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ComplianceRule_organizationId_scope_key" ON "ComplianceRule"("organizationId", "scope");

-- CreateIndex
CREATE INDEX "SendDecision_organizationId_decidedAt_id_idx" ON "SendDecision"("organizationId", "decidedAt", "id");

-- AddForeignKey
ALTER TABLE "ComplianceRule" ADD CONSTRAINT "ComplianceRule_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Every organization gets its own editable copy of COMPLIANCE.md's quiet-hours table (the same rows as
-- lib/quiet-hours DEFAULT_STATE_QUIET_HOURS, a test compares them): seeded by a trigger when an
-- organization is created, and here for the organizations that exist already.
-- NOTE Prisma's migration runner splits scripts on every semicolon, even inside strings and function
-- bodies: this part has none (E-strings write one as \073, the SQL function body has no terminator).
CREATE OR REPLACE FUNCTION leadflow_seed_compliance_rules(org_id TEXT) RETURNS void LANGUAGE sql AS $$
  INSERT INTO "ComplianceRule" ("id", "organizationId", "scope", "name", "weekdays", "saturday", "sunday", "frequencyCap", "source", "note", "position")
  SELECT 'r' || replace(gen_random_uuid()::text, '-', ''), org_id, seed.* FROM (VALUES
    (E'federal', E'Federal', E'[{"start":"08:00","end":"21:00"}]'::jsonb, E'[{"start":"08:00","end":"21:00"}]'::jsonb, E'[{"start":"08:00","end":"21:00"}]'::jsonb, NULL, E'47 CFR 64.1200(c)(1)', NULL, 0),
    (E'FL', E'Florida', E'[{"start":"08:00","end":"20:00"}]'::jsonb, E'[{"start":"08:00","end":"20:00"}]'::jsonb, E'[{"start":"08:00","end":"20:00"}]'::jsonb, 3, E'FTSA §501.616(6)', E'The statute caps 3 messages / 24 h on the same subject\073 LeadFlow counts every message (stricter).', 1),
    (E'OK', E'Oklahoma', E'[{"start":"08:00","end":"20:00"}]'::jsonb, E'[{"start":"08:00","end":"20:00"}]'::jsonb, E'[{"start":"08:00","end":"20:00"}]'::jsonb, 3, E'third-party tables (dropcowboy.com/state-compliance, usestello.com/compliance)', NULL, 2),
    (E'MD', E'Maryland', E'[{"start":"08:00","end":"20:00"}]'::jsonb, E'[{"start":"08:00","end":"20:00"}]'::jsonb, E'[{"start":"08:00","end":"20:00"}]'::jsonb, 3, E'third-party tables (dropcowboy.com/state-compliance, usestello.com/compliance)', NULL, 3),
    (E'CT', E'Connecticut', E'[{"start":"09:00","end":"20:00"}]'::jsonb, E'[{"start":"09:00","end":"20:00"}]'::jsonb, E'[{"start":"09:00","end":"20:00"}]'::jsonb, NULL, E'COMPLIANCE.md quiet-hours table (no statute cited there)', NULL, 4),
    (E'TX', E'Texas', E'[{"start":"09:00","end":"21:00"}]'::jsonb, E'[{"start":"09:00","end":"21:00"}]'::jsonb, E'[{"start":"12:00","end":"21:00"}]'::jsonb, NULL, E'Texas SB 140 (from 2025-09-01)', NULL, 5),
    (E'AL', E'Alabama', E'[{"start":"08:00","end":"21:00"}]'::jsonb, E'[{"start":"08:00","end":"21:00"}]'::jsonb, E'[]'::jsonb, NULL, E'third-party tables (dropcowboy.com/state-compliance, usestello.com/compliance)', E'No Sunday sends\073 other days keep the federal window.', 6),
    (E'LA', E'Louisiana', E'[{"start":"08:00","end":"21:00"}]'::jsonb, E'[{"start":"08:00","end":"21:00"}]'::jsonb, E'[]'::jsonb, NULL, E'third-party tables (dropcowboy.com/state-compliance, usestello.com/compliance)', E'No Sunday sends\073 other days keep the federal window.', 7),
    (E'MS', E'Mississippi', E'[{"start":"08:00","end":"21:00"}]'::jsonb, E'[{"start":"08:00","end":"21:00"}]'::jsonb, E'[]'::jsonb, NULL, E'third-party tables (dropcowboy.com/state-compliance, usestello.com/compliance)', E'No Sunday sends\073 other days keep the federal window.', 8),
    (E'KY', E'Kentucky', E'[{"start":"10:00","end":"21:00"}]'::jsonb, E'[{"start":"10:00","end":"21:00"}]'::jsonb, E'[{"start":"10:00","end":"21:00"}]'::jsonb, NULL, E'third-party tables (dropcowboy.com/state-compliance, usestello.com/compliance)', NULL, 9),
    (E'RI', E'Rhode Island', E'[{"start":"09:00","end":"18:00"}]'::jsonb, E'[]'::jsonb, E'[]'::jsonb, NULL, E'third-party tables (dropcowboy.com/state-compliance, usestello.com/compliance)', E'COMPLIANCE.md gives only a weekday window (09:00–18:00)\073 weekends are read as no messages until an admin sets one.', 10)
  ) AS seed(scope, name, weekdays, saturday, sunday, frequency_cap, source, note, position)
  ON CONFLICT ("organizationId", "scope") DO NOTHING
$$;

CREATE OR REPLACE FUNCTION leadflow_seed_compliance_rules_on_org() RETURNS trigger LANGUAGE plpgsql
  AS E'BEGIN PERFORM leadflow_seed_compliance_rules(NEW."id")\073 RETURN NEW\073 END\073';

CREATE TRIGGER "Organization_seed_compliance_rules" AFTER INSERT ON "Organization"
  FOR EACH ROW EXECUTE FUNCTION leadflow_seed_compliance_rules_on_org();

SELECT leadflow_seed_compliance_rules("id") FROM "Organization";
