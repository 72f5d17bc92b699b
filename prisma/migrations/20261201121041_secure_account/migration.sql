-- AlterEnum
ALTER TYPE "OneTimeTokenPurpose" ADD VALUE 'SECURE_ACCOUNT';

-- AlterEnum
ALTER TYPE "AuthEventType" ADD VALUE 'ACCOUNT_SECURED';

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "passwordResetRequiredAt" TIMESTAMPTZ(3);
