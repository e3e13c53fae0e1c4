-- AlterTable
ALTER TABLE "client" ADD COLUMN     "required_plan" TEXT;

-- CreateTable
CREATE TABLE "plan_subscription" (
    "user_id" TEXT NOT NULL,
    "plan_id" TEXT NOT NULL DEFAULT 'free',
    "interval" TEXT,
    "stripe_customer_id" TEXT,
    "stripe_subscription_id" TEXT,
    "stripe_payment_method_id" TEXT,
    "status" TEXT,
    "period_end" TIMESTAMP(3),
    "cancel_at_period_end" BOOLEAN NOT NULL DEFAULT false,
    "payment_failed_at" TIMESTAMP(3),
    "checkout_session_id" TEXT,
    "checkouts" INTEGER NOT NULL DEFAULT 0,
    "cycle" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "plan_subscription_pkey" PRIMARY KEY ("user_id")
);

-- CreateTable
CREATE TABLE "stripe_event" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "received_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "stripe_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "plan_subscription_stripe_customer_id_key" ON "plan_subscription"("stripe_customer_id");

-- CreateIndex
CREATE UNIQUE INDEX "plan_subscription_stripe_subscription_id_key" ON "plan_subscription"("stripe_subscription_id");

-- CreateIndex
CREATE INDEX "plan_subscription_period_end_idx" ON "plan_subscription"("period_end");

-- AddForeignKey
ALTER TABLE "plan_subscription" ADD CONSTRAINT "plan_subscription_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;
