-- CreateEnum
CREATE TYPE "AuthEventType" AS ENUM ('SIGN_UP', 'LOGIN_SUCCEEDED', 'LOGIN_FAILED', 'REFRESH', 'REFRESH_TOKEN_REUSE', 'LOGOUT', 'LOGOUT_ALL', 'SESSION_REVOKED', 'PASSWORD_CHANGED', 'ACCOUNT_DELETED', 'RATE_LIMITED', 'ROLE_CHANGED', 'USER_SESSIONS_REVOKED');

-- CreateTable
CREATE TABLE "AuthEvent" (
    "id" UUID NOT NULL,
    "type" "AuthEventType" NOT NULL,
    "userId" UUID,
    "actorId" UUID,
    "sessionId" UUID,
    "ip" TEXT,
    "userAgent" TEXT,
    "detail" JSONB,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuthEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AuthEvent_userId_createdAt_idx" ON "AuthEvent"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "AuthEvent_createdAt_idx" ON "AuthEvent"("createdAt");
