-- DropIndex
DROP INDEX "email_normalized_key";

-- DropIndex
DROP INDEX "email_user_id_idx";

-- AlterTable
ALTER TABLE "client" ADD COLUMN     "require_verified_email" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "email" ADD COLUMN     "owned" TEXT;

-- Every address that existed before this migration was registered with its account.
UPDATE "email" SET "owned" = "normalized";

-- CreateTable
CREATE TABLE "confirmation" (
    "id" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "intent" TEXT NOT NULL,
    "object_id" TEXT NOT NULL,
    "payload" JSONB NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL DEFAULT 'pending',
    "expires_at" TIMESTAMP(3) NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "used_at" TIMESTAMP(3),

    CONSTRAINT "confirmation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbound_mail" (
    "id" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "template" TEXT NOT NULL,
    "variables" JSONB NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_error" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outbound_mail_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "confirmation_key_hash_key" ON "confirmation"("key_hash");

-- CreateIndex
CREATE INDEX "confirmation_intent_object_id_idx" ON "confirmation"("intent", "object_id");

-- CreateIndex
CREATE INDEX "outbound_mail_status_next_attempt_at_idx" ON "outbound_mail"("status", "next_attempt_at");

-- CreateIndex
CREATE UNIQUE INDEX "email_owned_key" ON "email"("owned");

-- CreateIndex
CREATE INDEX "email_normalized_idx" ON "email"("normalized");

-- CreateIndex
CREATE UNIQUE INDEX "email_user_id_normalized_key" ON "email"("user_id", "normalized");
