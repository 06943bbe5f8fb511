-- A DNC registry extract loading (its count moves with its heartbeat) is followed live like the
-- other jobs: a status change is always told, progress at most once a second. Function bodies are
-- E-strings with \073 for semicolons: the migration runner splits on them.
CREATE FUNCTION leadflow_dnc_upload_changed() RETURNS trigger
LANGUAGE plpgsql AS E'
BEGIN
  PERFORM leadflow_raise_event(NEW."organizationId", NULL, ''job'', NEW."id"::text,
    jsonb_build_object(''kind'', ''dnc_registry'', ''status'', NEW."status"),
    CASE WHEN NEW."status" IS DISTINCT FROM OLD."status" THEN NULL ELSE interval ''1 second'' END)\073
  RETURN NULL\073
END
';
CREATE TRIGGER "DncRegistryUpload_changed" AFTER UPDATE ON "DncRegistryUpload" FOR EACH ROW EXECUTE FUNCTION leadflow_dnc_upload_changed();
