-- Issue 13 items 1 and 6: analytics and usage read a daily rollup instead of scanning leads, the
-- ledger and messages per page load. One row per (organization, org-local day, metric, key). The
-- worker (job "analytics-rollup") and the first read of a range recompute whole days of it.
CREATE TABLE "AnalyticsDaily" (
    "organizationId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "metric" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "value" BIGINT NOT NULL,

    CONSTRAINT "AnalyticsDaily_pkey" PRIMARY KEY ("organizationId", "day", "metric", "key")
);

-- What the rollup of an organization covers: every day from coveredFrom to today, in timeZone.
CREATE TABLE "AnalyticsRollupState" (
    "organizationId" TEXT NOT NULL,
    "timeZone" TEXT NOT NULL,
    "coveredFrom" DATE NOT NULL,
    "refreshedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AnalyticsRollupState_pkey" PRIMARY KEY ("organizationId")
);

ALTER TABLE "AnalyticsDaily" ADD CONSTRAINT "AnalyticsDaily_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "AnalyticsRollupState" ADD CONSTRAINT "AnalyticsRollupState_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Revenue and time to close read won leads of a range live (few rows) through this index.
CREATE INDEX "Lead_organizationId_wonAt_idx" ON "Lead"("organizationId", "wonAt");
