-- CreateTable
CREATE TABLE "LeadCountDelta" (
    "id" BIGSERIAL NOT NULL,
    "organizationId" TEXT NOT NULL,
    "status" "LeadStatus" NOT NULL,
    "temperature" "Temperature" NOT NULL,
    "source" "LeadSource" NOT NULL,
    "hasPhone" BOOLEAN NOT NULL,
    "skipTraced" BOOLEAN NOT NULL,
    "archived" BOOLEAN NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "LeadCountDelta_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "LeadCountDelta_organizationId_idx" ON "LeadCountDelta"("organizationId");

-- AddForeignKey
ALTER TABLE "LeadCountDelta" ADD CONSTRAINT "LeadCountDelta_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Lead counts without a shared row lock (issue 15): the triggers on "Lead" now append their net
-- change to "LeadCountDelta" instead of updating "LeadCount" rows, which made concurrent writers
-- of one organization wait for each other and deadlock when two multi-statement transactions
-- changed the same counters in opposite orders. Readers sum both tables in one statement.
-- Function bodies use \073 for semicolons (migrations are split on semicolons).
CREATE OR REPLACE FUNCTION leadflow_lead_counts_insert() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN
  INSERT INTO "LeadCountDelta" ("organizationId", "status", "temperature", "source", "hasPhone", "skipTraced", "archived", "count")
  SELECT n."organizationId", n."status", n."temperature", n."source", n."hasPhone", n."skipTracedAt" IS NOT NULL, n."archivedAt" IS NOT NULL, count(*)::int
  FROM new_rows n GROUP BY 1, 2, 3, 4, 5, 6, 7\073
  RETURN NULL\073
END\073';

CREATE OR REPLACE FUNCTION leadflow_lead_counts_update() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN
  INSERT INTO "LeadCountDelta" ("organizationId", "status", "temperature", "source", "hasPhone", "skipTraced", "archived", "count")
  SELECT d.o, d.s, d.t, d.src, d.p, d.st, d.a, sum(d.delta)::int FROM (
    SELECT n."organizationId" AS o, n."status" AS s, n."temperature" AS t, n."source" AS src, n."hasPhone" AS p, n."skipTracedAt" IS NOT NULL AS st, n."archivedAt" IS NOT NULL AS a, 1 AS delta FROM new_rows n
    UNION ALL
    SELECT x."organizationId", x."status", x."temperature", x."source", x."hasPhone", x."skipTracedAt" IS NOT NULL, x."archivedAt" IS NOT NULL, -1 FROM old_rows x
  ) d
  GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(d.delta) <> 0\073
  RETURN NULL\073
END\073';

-- When the organization itself is being deleted (its leads go by cascade) nothing is recorded for it.
CREATE OR REPLACE FUNCTION leadflow_lead_counts_delete() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN
  INSERT INTO "LeadCountDelta" ("organizationId", "status", "temperature", "source", "hasPhone", "skipTraced", "archived", "count")
  SELECT x."organizationId", x."status", x."temperature", x."source", x."hasPhone", x."skipTracedAt" IS NOT NULL, x."archivedAt" IS NOT NULL, -count(*)::int
  FROM old_rows x JOIN "Organization" o ON o."id" = x."organizationId"
  GROUP BY 1, 2, 3, 4, 5, 6, 7\073
  RETURN NULL\073
END\073';

CREATE OR REPLACE FUNCTION leadflow_lead_counts_truncate() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN
  DELETE FROM "LeadCountDelta"\073
  DELETE FROM "LeadCount"\073
  RETURN NULL\073
END\073';

-- Folds an organization's deltas into its counters in one statement: the rows it deletes are the
-- rows it adds (a concurrent fold skips rows this one deleted), so a reader sees the sum before
-- or after, never both or neither.
CREATE OR REPLACE FUNCTION leadflow_fold_lead_count_deltas(org_id TEXT) RETURNS void LANGUAGE sql AS $$
  WITH moved AS (
    DELETE FROM "LeadCountDelta" WHERE "organizationId" = org_id
    RETURNING "organizationId", "status", "temperature", "source", "hasPhone", "skipTraced", "archived", "count"
  )
  INSERT INTO "LeadCount" ("organizationId", "status", "temperature", "source", "hasPhone", "skipTraced", "archived", "count")
  SELECT "organizationId", "status", "temperature", "source", "hasPhone", "skipTraced", "archived", sum("count")::int
  FROM moved GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
  ON CONFLICT ("organizationId", "status", "temperature", "source", "hasPhone", "skipTraced", "archived")
  DO UPDATE SET "count" = "LeadCount"."count" + EXCLUDED."count"
$$;
