import type { Passkey } from '../../generated/prisma/client.ts';
import { passkeyMails } from './mails.ts';
import type { SignedInViewer } from '../../auth/sessions/authenticate.ts';
import { secureAccountLink } from '../../auth/one-time/secure-account-link.ts';
import type { ClientInfo } from '../../auth/sessions/client.ts';
import type { FactorDeps } from '../../auth/second-factor/deps.ts';

const EVENTS = { added: 'PASSKEY_REGISTERED', renamed: 'PASSKEY_RENAMED', removed: 'PASSKEY_REMOVED' } as const;

/** Every change to one's passkeys: an audit event, and a notice mail to the owner. */
export async function noticePasskeyChange(
  deps: FactorDeps,
  viewer: SignedInViewer,
  change: keyof typeof EVENTS,
  passkey: Pick<Passkey, 'id' | 'name' | 'createdAt'>,
  client: ClientInfo,
): Promise<void> {
  await deps.audit.record(
    { type: EVENTS[change], userId: viewer.user.id, sessionId: viewer.session.id, detail: { passkeyId: passkey.id } },
    client,
  );
  // A passkey signs in on its own: the notice of a new one carries the link that takes it back.
  const now = deps.clock.now();
  const secure =
    change === 'added' ? await secureAccountLink(deps.prisma, viewer.user, passkey.createdAt, now) : undefined;
  await deps.mailer.send(passkeyMails.changed(deps.mail, viewer.user.email, change, passkey.name, secure));
}
