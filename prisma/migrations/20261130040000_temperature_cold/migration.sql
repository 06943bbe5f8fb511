-- The lowest temperature was "DEAD", the same word as the lead status "dead" (issue 14 item 3):
-- it is now "COLD". Renaming the enum label changes no row: "Lead".temperature, the LeadCount and
-- LeadCountDelta rows keyed by it and the column default all hold the label by reference, so the
-- counts stay exactly as they were and no trigger fires.
ALTER TYPE "Temperature" RENAME VALUE 'DEAD' TO 'COLD';

-- Saved lead filters keep their filters as JSON: the old word in them becomes the new one (the
-- filter schema also still reads "DEAD" as COLD, for links and API clients).
UPDATE "SavedLeadFilter"
SET "filters" = jsonb_set(
      "filters",
      '{temperature}',
      (SELECT coalesce(jsonb_agg(DISTINCT CASE WHEN t = '"DEAD"'::jsonb THEN '"COLD"'::jsonb ELSE t END), '[]'::jsonb)
       FROM jsonb_array_elements("filters"->'temperature') AS t)
    ),
    "updatedAt" = CURRENT_TIMESTAMP
WHERE jsonb_typeof("filters"->'temperature') = 'array' AND "filters"->'temperature' ? 'DEAD';
