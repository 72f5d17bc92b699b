-- CreateTable
CREATE TABLE "MailOutbox" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "sealed" BYTEA NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "leasedUntil" TIMESTAMPTZ(3) NOT NULL,
    "recoveries" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "MailOutbox_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MailOutbox_leasedUntil_idx" ON "MailOutbox"("leasedUntil");
