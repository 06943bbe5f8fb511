-- Global search (issue 13 item 5) by words: every word typed must appear in the address or the
-- owner name. One trigram index over both, lowercased, answers each word with one index scan
-- (two words: a BitmapAnd of two), where the per-column indexes needed an OR of two scans per word
-- and the planner fell back to a sequential scan with four ILIKEs a row (360 ms on 100k leads for
-- "garcia nguyen" on a loaded machine, see scripts/bench-global-search.ts).
-- Prisma cannot declare an expression index: schema.prisma names it in a comment on Lead.
-- The query must use this exact expression (src/server/global-search/service.ts, wordsMatch).
CREATE INDEX "Lead_search_words_trgm" ON "Lead" USING GIN ((lower("addressLine1" || ' ' || coalesce("ownerName", ''))) gin_trgm_ops);
