import { badUserInput } from '../../errors.ts';
import type { Passkey } from '../../generated/prisma/client.ts';
import type { SignedInViewer } from '../../auth/sessions/authenticate.ts';
import type { ClientInfo } from '../../auth/sessions/client.ts';
import { isUuid } from '../../db/uuid.ts';
import { refuseAdminsLastFactor } from '../../auth/second-factor/removal.ts';
import { requireStepUp } from '../../auth/second-factor/step-up.ts';
import { passkeyName } from './name.ts';
import { noticePasskeyChange } from './notice.ts';
import type { PasskeyDeps } from './registration.ts';

const noSuchPasskey = () => badUserInput('id', 'You have no passkey with this id.');

async function ownPasskey(deps: PasskeyDeps, viewer: SignedInViewer, id: string): Promise<Passkey> {
  const passkey = isUuid(id) ? await deps.prisma.passkey.findUnique({ where: { id } }) : null;
  if (!passkey || passkey.userId !== viewer.user.id) throw noSuchPasskey();
  return passkey;
}

export async function renamePasskey(
  deps: PasskeyDeps,
  viewer: SignedInViewer,
  input: { id: string; name: string },
  client: ClientInfo,
): Promise<Passkey> {
  const passkey = await ownPasskey(deps, viewer, input.id);
  const renamed = await deps.prisma.passkey.update({
    where: { id: passkey.id },
    data: { name: passkeyName(input.name) },
  });
  await noticePasskeyChange(deps, viewer, 'renamed', renamed, client);
  return renamed;
}

/**
 * Removes a passkey (step-up where the account has a second factor). Every
 * account keeps its password, so no removal leaves it without a way in; but an
 * admin who must have a second factor (REQUIRE_ADMIN_SECOND_FACTOR=on) cannot
 * remove the last one.
 */
export async function removePasskey(
  deps: PasskeyDeps,
  viewer: SignedInViewer,
  input: { id: string; code?: string | null | undefined },
  client: ClientInfo,
): Promise<true> {
  const passkey = await ownPasskey(deps, viewer, input.id);
  await requireStepUp(deps, viewer, input.code, client);
  await refuseAdminsLastFactor(deps, viewer, { method: 'passkeys', count: 1 });
  await deps.prisma.passkey.delete({ where: { id: passkey.id } });
  await noticePasskeyChange(deps, viewer, 'removed', passkey, client);
  return true;
}
