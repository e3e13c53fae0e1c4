-- CreateTable
CREATE TABLE "pending_registration" (
    "id" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "normalized" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "password_hash" TEXT,
    "browser_hash" TEXT,
    "interaction_uid" TEXT,
    "account_id" TEXT,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "pending_registration_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "pending_registration_browser_hash_idx" ON "pending_registration"("browser_hash");

-- CreateIndex
CREATE INDEX "pending_registration_expires_at_idx" ON "pending_registration"("expires_at");
