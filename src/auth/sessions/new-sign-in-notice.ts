import type { BackgroundTasks } from '../../background.ts';
import type { PrismaClient, User } from '../../generated/prisma/client.ts';
import type { Mailer } from '../../mail/mailer.ts';
import { type MailSettings, mails } from '../../mail/templates.ts';
import { issueOneTimeToken } from '../one-time/one-time-tokens.ts';
import { describeDevice } from './device.ts';
import { type AuthMethod, type ClientInfo, USER_AGENT_MAX_LENGTH } from './sessions.ts';

export interface NewSignInNoticeDeps {
  prisma: PrismaClient;
  mailer: Mailer;
  background: BackgroundTasks;
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
/** How long the notice's "it was not me" link works: a notice may be read days later. */
const SECURE_ACCOUNT_TTL_SECONDS = 7 * 86400;

/** The key of the agent as its session stores it (cut to the stored length). */
const deviceKey = (userAgent: string | undefined) =>
  (userAgent ?? '').slice(0, USER_AGENT_MAX_LENGTH).replace(VERSIONS, '');

/**
 * After a sign-in (the answer is not held up), mails the account a notice when
 * the browser or program is one none of its other sessions used: a stolen
 * password used elsewhere is then seen by its owner, who can end every session
 * and lock the password from the mail (`secureAccount`). Not on an account's
 * first session, which nobody needs to be told of.
 */
export function noticeNewSignIn(
  deps: NewSignInNoticeDeps,
  user: Pick<User, 'id' | 'email'>,
  sessionId: string,
  client: ClientInfo,
  amr: readonly AuthMethod[],
  at: Date,
): void {
  if (!deps.mail.newSignInNotice) return;
  deps.background.run('new-sign-in-notice', async () => {
    const [seen] = await deps.prisma.$queryRaw<{ earlier: boolean; known: boolean }[]>`
      WITH latest AS (
        SELECT "userAgent" FROM "Session"
         WHERE "userId" = ${user.id}::uuid AND "id" <> ${sessionId}::uuid
         ORDER BY "createdAt" DESC LIMIT ${SESSIONS_COMPARED}
      )
      SELECT count(*) > 0 AS "earlier",
             coalesce(bool_or(regexp_replace(coalesce("userAgent", ''), ${WITHOUT_VERSIONS}, '', 'g') = ${deviceKey(client.userAgent)}), false) AS "known"
        FROM latest`;
    if (!seen?.earlier || seen.known) return;
    const secure = await issueOneTimeToken(deps.prisma, {
      purpose: 'SECURE_ACCOUNT',
      userId: user.id,
      email: user.email,
      ttlSeconds: SECURE_ACCOUNT_TTL_SECONDS,
      now: at,
    });
    const signIn = { at, device: describeDevice(client.userAgent), ip: client.ip, how: describeMethods(amr) };
    await deps.mailer.send(mails.newSignIn(deps.mail, user.email, signIn, secure, SECURE_ACCOUNT_TTL_SECONDS));
  });
}

const METHOD_WORDS: Partial<Record<AuthMethod, string>> = {
  pwd: 'the password',
  otp: 'a second-factor code',
  hwk: 'a passkey',
};

/** "the password and a second-factor code": how the sign-in was proved (`mfa` says nothing more). */
function describeMethods(amr: readonly AuthMethod[]): string {
  return amr.flatMap((method) => METHOD_WORDS[method] ?? []).join(' and ') || 'a sign-in';
}
