-- Each chart reads a few metrics of a range of days: an index-only scan of this index (key and value
-- included as trailing columns) instead of every metric of those days in the primary key's order.
CREATE INDEX "AnalyticsDaily_organizationId_metric_day_key_value_idx" ON "AnalyticsDaily"("organizationId", "metric", "day", "key", "value");
