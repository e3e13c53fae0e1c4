-- CreateTable
CREATE TABLE "wallet_address" (
    "normalized" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "wallet_address_pkey" PRIMARY KEY ("normalized")
);

-- CreateTable
CREATE TABLE "wallet_challenge" (
    "nonce" TEXT NOT NULL,
    "bound_to" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "chain_id" INTEGER NOT NULL,
    "issued_at" TIMESTAMP(3) NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "consumed_at" TIMESTAMP(3),

    CONSTRAINT "wallet_challenge_pkey" PRIMARY KEY ("nonce")
);

-- CreateIndex
CREATE INDEX "wallet_address_user_id_idx" ON "wallet_address"("user_id");

-- CreateIndex
CREATE INDEX "wallet_challenge_expires_at_idx" ON "wallet_challenge"("expires_at");

-- AddForeignKey
ALTER TABLE "wallet_address" ADD CONSTRAINT "wallet_address_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;
