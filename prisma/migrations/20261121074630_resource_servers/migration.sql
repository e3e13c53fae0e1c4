-- CreateTable
CREATE TABLE "resource_server" (
    "identifier" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "access_token_ttl" INTEGER NOT NULL DEFAULT 3600,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "resource_server_pkey" PRIMARY KEY ("identifier")
);
