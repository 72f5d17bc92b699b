-- AlterTable
ALTER TABLE "User" ADD COLUMN     "emailChangedAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "network" TEXT;

-- AlterTable
ALTER TABLE "OneTimeToken" ADD COLUMN     "eventAt" TIMESTAMPTZ(3),
ADD COLUMN     "passwordHash" TEXT;

-- Sessions of before: the network of an IPv4 address (its /24), so that their devices stay known.
UPDATE "Session" SET "network" = regexp_replace("ip", '\.[0-9]+$', '.0/24')
 WHERE "ip" ~ '^[0-9]{1,3}(\.[0-9]{1,3}){3}$';

-- Links of before were mailed right after the sign-in they report.
UPDATE "OneTimeToken" SET "eventAt" = "createdAt" WHERE "purpose" = 'SECURE_ACCOUNT';
