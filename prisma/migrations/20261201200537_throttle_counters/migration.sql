-- CreateTable
CREATE TABLE "throttle_counter" (
    "bucket" TEXT NOT NULL,
    "window_start" TIMESTAMP(3) NOT NULL,
    "count" INTEGER NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "throttle_counter_pkey" PRIMARY KEY ("bucket","window_start")
);

-- CreateIndex
CREATE INDEX "throttle_counter_expires_at_idx" ON "throttle_counter"("expires_at");
