import { type MailedToken, type MailSettings, message, notMe } from '../../mail/templates.ts';

export const passkeyMails = {
  changed: (
    settings: MailSettings,
    to: string,
    change: 'added' | 'renamed' | 'removed',
    name: string,
    secure?: MailedToken,
  ) =>
    message(settings, to, 'passkey-changed', `Your ${settings.appName} passkeys changed`, {
      greeting: 'Hello,',
      ...notMe(
        settings,
        {
          added: `A passkey named "${name}" was added to your account (${to}): it can sign in without your password.`,
          renamed: `A passkey of your account (${to}) was renamed "${name}".`,
          removed: `The passkey named "${name}" was removed from your account (${to}): it no longer signs in.`,
        }[change],
        secure,
      ),
    }),
};
