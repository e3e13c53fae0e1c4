
-- CreateTable
CREATE TABLE "organisation" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "require_consent" BOOLEAN NOT NULL DEFAULT false,
    "privacy_policy_url" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "organisation_pkey" PRIMARY KEY ("id")
);

-- Every client belongs to an organisation: existing ones join the default organisation.
INSERT INTO "organisation" ("id", "slug", "name", "updated_at")
VALUES ('00000000-0000-4000-8000-000000000000', 'default', 'Default organisation', CURRENT_TIMESTAMP);

-- AlterTable
ALTER TABLE "client" ADD COLUMN     "cooloff_hours" INTEGER,
ADD COLUMN     "organisation_id" TEXT NOT NULL DEFAULT '00000000-0000-4000-8000-000000000000';

-- CreateTable
CREATE TABLE "organisation_consent" (
    "user_id" TEXT NOT NULL,
    "organisation_id" TEXT NOT NULL,
    "granted_at" TIMESTAMP(3) NOT NULL,
    "withdrawn_at" TIMESTAMP(3),

    CONSTRAINT "organisation_consent_pkey" PRIMARY KEY ("user_id","organisation_id")
);

-- CreateTable
CREATE TABLE "terms_version" (
    "version" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "published_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "terms_version_pkey" PRIMARY KEY ("version")
);

-- CreateTable
CREATE TABLE "terms_acceptance" (
    "user_id" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "accepted_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "terms_acceptance_pkey" PRIMARY KEY ("user_id","version")
);

-- CreateTable
CREATE TABLE "client_sign_in" (
    "user_id" TEXT NOT NULL,
    "client_id" TEXT NOT NULL,
    "first_at" TIMESTAMP(3) NOT NULL,
    "last_at" TIMESTAMP(3) NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "client_sign_in_pkey" PRIMARY KEY ("user_id","client_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "organisation_slug_key" ON "organisation"("slug");

-- CreateIndex
CREATE INDEX "terms_version_published_at_idx" ON "terms_version"("published_at");

-- CreateIndex
CREATE INDEX "client_sign_in_client_id_idx" ON "client_sign_in"("client_id");

-- CreateIndex
CREATE INDEX "client_organisation_id_idx" ON "client"("organisation_id");

-- AddForeignKey
ALTER TABLE "client" ADD CONSTRAINT "client_organisation_id_fkey" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "organisation_consent" ADD CONSTRAINT "organisation_consent_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "organisation_consent" ADD CONSTRAINT "organisation_consent_organisation_id_fkey" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "terms_acceptance" ADD CONSTRAINT "terms_acceptance_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "terms_acceptance" ADD CONSTRAINT "terms_acceptance_version_fkey" FOREIGN KEY ("version") REFERENCES "terms_version"("version") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "client_sign_in" ADD CONSTRAINT "client_sign_in_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "client_sign_in" ADD CONSTRAINT "client_sign_in_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "client"("client_id") ON DELETE CASCADE ON UPDATE CASCADE;
