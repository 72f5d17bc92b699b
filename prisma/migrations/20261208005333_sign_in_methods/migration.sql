-- AlterTable
ALTER TABLE "LoginChallenge" ADD COLUMN     "amr" TEXT[] DEFAULT ARRAY['pwd']::TEXT[];

-- CreateTable
CREATE TABLE "PasskeyUserHandle" (
    "userId" UUID NOT NULL,
    "handle" BYTEA NOT NULL,

    CONSTRAINT "PasskeyUserHandle_pkey" PRIMARY KEY ("userId")
);

-- CreateIndex
CREATE UNIQUE INDEX "PasskeyUserHandle_handle_key" ON "PasskeyUserHandle"("handle");

-- AddForeignKey
ALTER TABLE "PasskeyUserHandle" ADD CONSTRAINT "PasskeyUserHandle_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The handles the accounts have, in the passkeys' own table.
INSERT INTO "PasskeyUserHandle" ("userId", "handle")
SELECT "id", "passkeyUserHandle" FROM "User" WHERE "passkeyUserHandle" IS NOT NULL;

-- DropIndex
DROP INDEX "User_passkeyUserHandle_key";

-- AlterTable
ALTER TABLE "User" DROP COLUMN "passkeyUserHandle";
