import { Prisma } from '../generated/prisma/client.ts';

/** A write refused by a unique index (two sign-ups racing on one email, say). */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

/** An update or delete whose `where` matched no row (it was gone, or no longer matched). */
export function isRecordNotFound(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2025';
}
