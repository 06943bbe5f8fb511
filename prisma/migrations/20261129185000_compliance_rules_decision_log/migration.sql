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
-- lib/quiet-hours DEFAULT_STATE_QUIET_HOURS; a test compares them): seeded by a trigger when an
-- organization is created, and here for the organizations that exist already.
CREATE OR REPLACE FUNCTION leadflow_seed_compliance_rules(org_id TEXT) RETURNS void LANGUAGE sql AS $$
  INSERT INTO "ComplianceRule" ("id", "organizationId", "scope", "name", "weekdays", "saturday", "sunday", "frequencyCap", "source", "note", "position")
  SELECT 'r' || replace(gen_random_uuid()::text, '-', ''), org_id, seed.* FROM (VALUES
    ('federal', 'Federal', '[{"start":"08:00","end":"21:00"}]'::jsonb, '[{"start":"08:00","end":"21:00"}]'::jsonb, '[{"start":"08:00","end":"21:00"}]'::jsonb, NULL, '47 CFR 64.1200(c)(1)', NULL, 0),
    ('FL', 'Florida', '[{"start":"08:00","end":"20:00"}]'::jsonb, '[{"start":"08:00","end":"20:00"}]'::jsonb, '[{"start":"08:00","end":"20:00"}]'::jsonb, 3, 'FTSA §501.616(6)', 'The statute caps 3 messages / 24 h on the same subject; LeadFlow counts every message (stricter).', 1),
    ('OK', 'Oklahoma', '[{"start":"08:00","end":"20:00"}]'::jsonb, '[{"start":"08:00","end":"20:00"}]'::jsonb, '[{"start":"08:00","end":"20:00"}]'::jsonb, 3, 'third-party tables (dropcowboy.com/state-compliance, usestello.com/compliance)', NULL, 2),
    ('MD', 'Maryland', '[{"start":"08:00","end":"20:00"}]'::jsonb, '[{"start":"08:00","end":"20:00"}]'::jsonb, '[{"start":"08:00","end":"20:00"}]'::jsonb, 3, 'third-party tables (dropcowboy.com/state-compliance, usestello.com/compliance)', NULL, 3),
    ('CT', 'Connecticut', '[{"start":"09:00","end":"20:00"}]'::jsonb, '[{"start":"09:00","end":"20:00"}]'::jsonb, '[{"start":"09:00","end":"20:00"}]'::jsonb, NULL, 'COMPLIANCE.md quiet-hours table (no statute cited there)', NULL, 4),
    ('TX', 'Texas', '[{"start":"09:00","end":"21:00"}]'::jsonb, '[{"start":"09:00","end":"21:00"}]'::jsonb, '[{"start":"12:00","end":"21:00"}]'::jsonb, NULL, 'Texas SB 140 (from 2025-09-01)', NULL, 5),
    ('AL', 'Alabama', '[{"start":"08:00","end":"21:00"}]'::jsonb, '[{"start":"08:00","end":"21:00"}]'::jsonb, '[]'::jsonb, NULL, 'third-party tables (dropcowboy.com/state-compliance, usestello.com/compliance)', 'No Sunday sends; other days keep the federal window.', 6),
    ('LA', 'Louisiana', '[{"start":"08:00","end":"21:00"}]'::jsonb, '[{"start":"08:00","end":"21:00"}]'::jsonb, '[]'::jsonb, NULL, 'third-party tables (dropcowboy.com/state-compliance, usestello.com/compliance)', 'No Sunday sends; other days keep the federal window.', 7),
    ('MS', 'Mississippi', '[{"start":"08:00","end":"21:00"}]'::jsonb, '[{"start":"08:00","end":"21:00"}]'::jsonb, '[]'::jsonb, NULL, 'third-party tables (dropcowboy.com/state-compliance, usestello.com/compliance)', 'No Sunday sends; other days keep the federal window.', 8),
    ('KY', 'Kentucky', '[{"start":"10:00","end":"21:00"}]'::jsonb, '[{"start":"10:00","end":"21:00"}]'::jsonb, '[{"start":"10:00","end":"21:00"}]'::jsonb, NULL, 'third-party tables (dropcowboy.com/state-compliance, usestello.com/compliance)', NULL, 9),
    ('RI', 'Rhode Island', '[{"start":"09:00","end":"18:00"}]'::jsonb, '[]'::jsonb, '[]'::jsonb, NULL, 'third-party tables (dropcowboy.com/state-compliance, usestello.com/compliance)', 'COMPLIANCE.md gives only a weekday window (09:00–18:00); weekends are read as no messages until an admin sets one.', 10)
  ) AS seed(scope, name, weekdays, saturday, sunday, frequency_cap, source, note, position)
  ON CONFLICT ("organizationId", "scope") DO NOTHING;
$$;

CREATE OR REPLACE FUNCTION leadflow_seed_compliance_rules_on_org() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM leadflow_seed_compliance_rules(NEW."id");
  RETURN NEW;
END;
$$;

CREATE TRIGGER "Organization_seed_compliance_rules" AFTER INSERT ON "Organization"
  FOR EACH ROW EXECUTE FUNCTION leadflow_seed_compliance_rules_on_org();

SELECT leadflow_seed_compliance_rules("id") FROM "Organization";
