import { isUniqueViolation } from '../../db/errors.ts';
import { badUserInput } from '../../errors.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import { mails } from '../../mail/templates.ts';
import { checkPasswordLength } from '../accounts/rules.ts';
import type { SignInMethod } from '../method.ts';
import { countFactorsAddedSince, removeSecondFactors } from '../second-factor/removal.ts';
import {
  consumeOneTimeToken,
  findUsableToken,
  invalidToken,
  type PresentedToken,
  presentedTokenHash,
} from '../one-time/one-time-tokens.ts';
import { endAccountAccess } from '../sessions/end-access.ts';
import { type ClientInfo, clientKey } from '../sessions/client.ts';
import type { MailFlowDeps } from '../deps.ts';
import { passwordResetMail } from './password-reset.ts';
import { sendOneTimeToken } from '../one-time/mail-token.ts';

export interface SecureAccountInput extends PresentedToken {
  /** The account's password as it was when the mail was sent: needed when a second factor was added since. */
  password?: string | null | undefined;
}

interface Secured {
  /** The account, and the address the link was mailed to (its owner's): every mail of this goes there. */
  user: { id: string; email: string };
  since: Date;
  sessions: number;
  /** How each second factor removed is named. */
  removed: string[];
  /** The address the link was mailed to, given back after a change since; false when another account holds it now. */
  addressRestored: boolean | undefined;
}

/** A link that would remove a second factor, followed without the password. */
const passwordNeeded = () =>
  badUserInput(
    'password',
    'A second factor was added to the account since this mail was sent: enter the password the account had then, so that it can be removed.',
  );

/**
 * The "it was not me" link of a notice (a new sign-in, a new second factor, a
 * password or address change): undoes everything since the earliest
 * sign-in or change that the account's unused links tell of, so that the owner
 * who follows any one of them need not follow them all.
 *
 * - Every session ends at once; those started since are disowned, and their
 *   devices count as new again.
 * - The second factors added since are removed; older ones stay.
 *   That takes the password as it was when the mail was sent, besides the link:
 *   a thief who has the password has no mailbox, and someone who reads the mail
 *   has no password, so neither removes the owner's second factor.
 * - An address changed since goes back to the one the link was mailed to.
 * - Pending links (an email change waiting for its confirmation, a reset) and
 *   half-done sign-ins stop working.
 * - The password signs nobody in (FORBIDDEN, PASSWORD_RESET_REQUIRED) until a
 *   new one is set, with the reset link mailed now or from the session of a
 *   method that signs in without it.
 *
 * Whoever had the password keeps nothing; the mailbox's owner gets the account back.
 */
export async function secureAccount(deps: MailFlowDeps, input: SecureAccountInput, client: ClientInfo): Promise<true> {
  const now = deps.clock.now();
  const tokenHash = await presentedTokenHash(deps.prisma, 'SECURE_ACCOUNT', input, now);
  const found = await findUsableToken(deps.prisma, 'SECURE_ACCOUNT', tokenHash, now);
  if (!found) throw invalidToken();
  const since = await earliestDisowned(deps.prisma, found.userId, now);
  const passwordChecked =
    (await countFactorsAddedSince(deps.prisma, deps.methods, found.userId, since)) > 0 &&
    (await checkPasswordOfThen(deps, found.id, found.email, input.password, client));

  const secure = (restoreAddress: boolean) =>
    deps.prisma.$transaction((tx) =>
      secureWith(tx, tokenHash, now, { methods: deps.methods, restoreAddress, passwordChecked }),
    );
  let secured: Secured | null;
  try {
    secured = await secure(true);
  } catch (error) {
    // The address was taken by another account since the change: secure the rest, and say so.
    if (!isUniqueViolation(error)) throw error;
    secured = await secure(false);
  }
  if (!secured) throw invalidToken();

  const { user, removed, addressRestored } = secured;
  await deps.audit.record(
    {
      type: 'ACCOUNT_SECURED',
      userId: user.id,
      detail: {
        since: secured.since.toISOString(),
        sessions: secured.sessions,
        factorsRemoved: removed.length,
        ...(addressRestored === undefined ? {} : { addressRestored }),
      },
    },
    client,
  );
  if (addressRestored === false) {
    deps.logger.warn(
      { event: 'account_secured_address_taken', userId: user.id },
      'account secured, but its earlier address belongs to another account now: it was not given back',
    );
  }
  if (removed.length > 0 || addressRestored !== undefined) {
    await deps.mailer.send(mails.accountSecured(deps.mail, user.email, { removed, addressRestored }));
  }
  // The reset goes to the address the link was mailed to, when the account has it (again); never to a thief's.
  if (addressRestored !== false)
    deps.background.run('secure-account', () => sendOneTimeToken(deps, passwordResetMail(deps, user)));
  return true;
}

/**
 * Checks `password` against the account's password when the link was mailed,
 * counted as a login attempt of its address (a link is no licence to guess).
 * BAD_USER_INPUT on `password` when it is missing or wrong; nothing is changed.
 */
async function checkPasswordOfThen(
  deps: MailFlowDeps,
  tokenId: string,
  email: string,
  password: string | null | undefined,
  client: ClientInfo,
): Promise<true> {
  if (!password) throw passwordNeeded();
  checkPasswordLength(password);
  const ip = clientKey(client);
  await deps.rateLimits.beforeLogin(email, ip);
  const link = await deps.prisma.oneTimeToken.findUniqueOrThrow({
    where: { id: tokenId },
    select: { passwordHash: true, user: { select: { passwordHash: true } } },
  });
  if (!(await deps.hasher.verify(password, link.passwordHash ?? link.user.passwordHash))) {
    throw badUserInput('password', 'This is not the password the account had when this mail was sent.');
  }
  await deps.rateLimits.loginSucceeded(email, ip);
  return true;
}

/** The whole of `secureAccount`'s change, in one transaction; null when the link is not (or no longer) good. */
async function secureWith(
  tx: Prisma.TransactionClient,
  tokenHash: Uint8Array<ArrayBuffer> | null,
  now: Date,
  options: { methods: readonly SignInMethod[]; restoreAddress: boolean; passwordChecked: boolean },
): Promise<Secured | null> {
  const { methods } = options;
  const used = await consumeOneTimeToken(tx, 'SECURE_ACCOUNT', tokenHash, now);
  const user = used && (await tx.user.findUnique({ where: { id: used.userId } }));
  if (!used || !user) return null;
  const since = await earliestDisowned(tx, user.id, now, used.eventAt ?? used.createdAt);
  // A factor added between the check and now: it takes the password too.
  if (!options.passwordChecked && (await countFactorsAddedSince(tx, methods, user.id, since)) > 0) {
    throw passwordNeeded();
  }

  // Bound to the address: a link works while the account has the address it was
  // mailed to, or when the account's address changed since what it disowns.
  let addressRestored: boolean | undefined;
  if (user.email !== used.email) {
    if (!user.emailChangedAt || user.emailChangedAt < since) return null;
    addressRestored = options.restoreAddress;
  }
  await tx.user.update({
    where: { id: user.id },
    data: {
      passwordResetRequiredAt: now,
      ...(addressRestored ? { email: used.email, emailVerifiedAt: now, emailChangedAt: now } : {}),
    },
  });
  const sessions = await endAccountAccess(tx, methods, user.id, 'secured', now, { disownedSince: since });
  const removed = await removeSecondFactors(tx, methods, user.id, since);
  return { user: { id: user.id, email: used.email }, since, sessions, removed, addressRestored };
}

/** The earliest sign-in or change told of by the account's usable links (and by `also`, one just used). */
async function earliestDisowned(
  db: Pick<Prisma.TransactionClient, 'oneTimeToken'>,
  userId: string,
  now: Date,
  also?: Date,
): Promise<Date> {
  const links = await db.oneTimeToken.findMany({
    where: { userId, purpose: 'SECURE_ACCOUNT', usedAt: null, expiresAt: { gt: now } },
    select: { createdAt: true, eventAt: true },
  });
  const times = links.map((link) => (link.eventAt ?? link.createdAt).getTime());
  return new Date(Math.min(...times, also?.getTime() ?? Number.POSITIVE_INFINITY));
}
