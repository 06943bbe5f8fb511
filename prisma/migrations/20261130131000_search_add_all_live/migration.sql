-- "Add all results to leads" is followed live like the other jobs (its button used to poll every
-- second): a status change is always told, progress at most once a second.
CREATE TRIGGER "SearchAddAllJob_changed" AFTER UPDATE ON "SearchAddAllJob" FOR EACH ROW EXECUTE FUNCTION leadflow_job_changed('search_add_all');
