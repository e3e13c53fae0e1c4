-- AlterTable
ALTER TABLE "client" ADD COLUMN     "push_endpoint" TEXT;

-- CreateTable
CREATE TABLE "push_stream" (
    "id" TEXT NOT NULL,
    "client_id" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'enabled',
    "status_reason" TEXT,
    "events_requested" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "authorization_header" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "push_stream_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "push_stream_client_id_key" ON "push_stream"("client_id");

-- AddForeignKey
ALTER TABLE "push_stream" ADD CONSTRAINT "push_stream_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "client"("client_id") ON DELETE CASCADE ON UPDATE CASCADE;
