-- CreateTable
CREATE TABLE "oidc_model" (
    "model" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "grant_id" TEXT,
    "uid" TEXT,
    "user_code" TEXT,
    "expires_at" TIMESTAMP(3),
    "consumed_at" TIMESTAMP(3),

    CONSTRAINT "oidc_model_pkey" PRIMARY KEY ("model","id")
);

-- CreateTable
CREATE TABLE "client" (
    "client_id" TEXT NOT NULL,
    "metadata" JSONB NOT NULL,
    "first_party" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "client_pkey" PRIMARY KEY ("client_id")
);

-- CreateTable
CREATE TABLE "user" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "password_hash" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "user_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "email" (
    "id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "normalized" TEXT NOT NULL,
    "primary" BOOLEAN NOT NULL DEFAULT false,
    "verified_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "email_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "oidc_model_grant_id_idx" ON "oidc_model"("grant_id");

-- CreateIndex
CREATE INDEX "oidc_model_uid_idx" ON "oidc_model"("uid");

-- CreateIndex
CREATE INDEX "oidc_model_user_code_idx" ON "oidc_model"("user_code");

-- CreateIndex
CREATE INDEX "oidc_model_expires_at_idx" ON "oidc_model"("expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "email_normalized_key" ON "email"("normalized");

-- CreateIndex
CREATE INDEX "email_user_id_idx" ON "email"("user_id");

-- AddForeignKey
ALTER TABLE "email" ADD CONSTRAINT "email_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;
