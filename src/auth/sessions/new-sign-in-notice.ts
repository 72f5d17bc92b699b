import type { BackgroundTasks } from '../../background.ts';
import type { PrismaClient, User } from '../../generated/prisma/client.ts';
import type { Mailer } from '../../mail/mailer.ts';
import { type MailSettings, mails } from '../../mail/templates.ts';
import type { Logger } from '../../logger.ts';
import type { RateLimits } from '../limits/rate-limits.ts';
import { secureAccountLink } from '../one-time/secure-account-link.ts';
import { describeDevice, networkOf } from './device.ts';
import type { SignInMethod } from '../method.ts';
import { proofWords } from '../second-factor/factors.ts';
import type { AuthMethod } from './sessions.ts';
import { type ClientInfo, USER_AGENT_MAX_LENGTH } from './client.ts';
import type { RevokeReason } from './revoke.ts';

export interface NewSignInNoticeDeps {
  prisma: PrismaClient;
  mailer: Mailer;
  background: BackgroundTasks;
  rateLimits: RateLimits;
  logger: Logger;
  methods: readonly SignInMethod[];
  mail: MailSettings & { newSignInNotice: boolean };
}

/**
 * What makes two user agents one browser or program: the agent without its
 * version numbers, so that a browser's update is not a new device. The same
 * expression runs in SQL below.
 */
const WITHOUT_VERSIONS = '[0-9._]+';
const VERSIONS = new RegExp(WITHOUT_VERSIONS, 'g');
/** How many of the account's latest sessions a sign-in is compared with: bounded work for an account a script signs in to all day. */
const SESSIONS_COMPARED = 100;

/** The key of the agent as its session stores it (cut to the stored length). */
const deviceKey = (userAgent: string | undefined) =>
  (userAgent ?? '').slice(0, USER_AGENT_MAX_LENGTH).replace(VERSIONS, '');

/**
 * After a sign-in (the answer is not held up), mails the account a notice when
 * it comes from a device none of its other sessions used: the same browser or
 * program (its user agent, which the signer chooses) on the same network (its
 * address's /24 or /48, which the signer chooses far less). A stolen password
 * used elsewhere is then seen by its owner, who can end every session and undo
 * what was done since from the mail (`secureAccount`). Not on an account's first
 * session, which nobody needs to be told of; sessions the owner disowned that
 * way make no device known. At most RATE_LIMIT_NEW_SIGN_IN_NOTICES a day: one
 * link undoes every sign-in since its own, so a thief signing in again and
 * again floods nobody and kills no earlier link.
 */
export function noticeNewSignIn(
  deps: NewSignInNoticeDeps,
  user: Pick<User, 'id' | 'email' | 'passwordHash'>,
  sessionId: string,
  client: ClientInfo,
  amr: readonly AuthMethod[],
  at: Date,
): void {
  if (!deps.mail.newSignInNotice) return;
  deps.background.run('new-sign-in-notice', async () => {
    const [seen] = await deps.prisma.$queryRaw<{ earlier: boolean; known: boolean }[]>`
      WITH latest AS (
        SELECT "userAgent", "network", "revokedReason" FROM "Session"
         WHERE "userId" = ${user.id}::uuid AND "id" <> ${sessionId}::uuid
         ORDER BY "createdAt" DESC LIMIT ${SESSIONS_COMPARED}
      )
      SELECT count(*) > 0 AS "earlier",
             coalesce(bool_or(
               regexp_replace(coalesce("userAgent", ''), ${WITHOUT_VERSIONS}, '', 'g') = ${deviceKey(client.userAgent)}
               AND "network" IS NOT DISTINCT FROM ${networkOf(client.ip)}
               AND "revokedReason" IS DISTINCT FROM ${'disowned' satisfies RevokeReason}
             ), false) AS "known"
        FROM latest`;
    if (!seen?.earlier || seen.known) return;
    if (!(await deps.rateLimits.mayNoticeSignIn(user.id))) {
      deps.logger.info(
        { event: 'new_sign_in_notice_limited', userId: user.id, sessionId },
        'new sign-in notice not sent: the account was sent its limit of them; the links already sent undo this sign-in too',
      );
      return;
    }
    const secure = await secureAccountLink(deps.prisma, user, at, at);
    const signIn = { at, device: describeDevice(client.userAgent), ip: client.ip, how: proofWords(deps.methods, amr) };
    await deps.mailer.send(mails.newSignIn(deps.mail, user.email, signIn, secure));
  });
}
