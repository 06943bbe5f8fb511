-- Webhook signing secrets are sealed at rest by the app (server/secret-box.ts), so the hint shown in the list is kept apart
ALTER TABLE "WebhookEndpoint" ADD COLUMN "secretHint" TEXT NOT NULL DEFAULT ''
;
UPDATE "WebhookEndpoint" SET "secretHint" = left("secret", 10) || '…' WHERE "secret" LIKE 'whsec_%'
;
