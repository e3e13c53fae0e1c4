-- CreateTable
CREATE TABLE "audit_record" (
    "id" TEXT NOT NULL,
    "sequence" BIGSERIAL NOT NULL,
    "type" TEXT NOT NULL,
    "account_id" TEXT,
    "client_id" TEXT,
    "detail" JSONB NOT NULL DEFAULT '{}',
    "ip" TEXT,
    "user_agent" TEXT,
    "operator" TEXT,
    "occurred_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "audit_record_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "audit_record_account_id_occurred_at_idx" ON "audit_record"("account_id", "occurred_at");

-- CreateIndex
CREATE INDEX "audit_record_occurred_at_idx" ON "audit_record"("occurred_at");
