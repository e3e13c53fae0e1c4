-- CreateTable
CREATE TABLE "job" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'ready',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "max_attempts" INTEGER NOT NULL,
    "run_at" TIMESTAMP(3) NOT NULL,
    "lease_until" TIMESTAMP(3),
    "last_error" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "job_schedule" (
    "name" TEXT NOT NULL,
    "last_tick" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "job_schedule_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "domain_event" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "account_id" TEXT,
    "data" JSONB NOT NULL,
    "occurred_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "domain_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "job_state_run_at_idx" ON "job"("state", "run_at");

-- CreateIndex
CREATE INDEX "domain_event_account_id_occurred_at_idx" ON "domain_event"("account_id", "occurred_at");

-- Mail waiting in the old queue moves onto the job runner, so an upgrade loses none of it:
-- pending mail stays due, mail already given up on stays visible as a dead job.
INSERT INTO "job" ("id", "kind", "payload", "state", "attempts", "max_attempts", "run_at", "last_error", "created_at", "updated_at")
SELECT "id", 'mail.send',
       jsonb_build_object('to', "recipient", 'template', "template", 'variables', "variables"),
       CASE WHEN "status" = 'failed' THEN 'dead' ELSE 'ready' END,
       "attempts", GREATEST("attempts" + 1, 12), "next_attempt_at", "last_error", "created_at", CURRENT_TIMESTAMP
FROM "outbound_mail";

-- DropTable
DROP TABLE "outbound_mail";
