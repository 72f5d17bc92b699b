import { type MailedToken, type MailSettings, message, notMe } from '../../mail/templates.ts';

type Change = 'enabled' | 'disabled' | 'codes-regenerated' | 'code-used';

export const totpMails = {
  /** A change to the account's authenticator app; `codesLeft` after a recovery code was used. */
  changed: (settings: MailSettings, to: string, change: Change, codesLeft?: number, secure?: MailedToken) => {
    const what = {
      enabled: 'Two-step sign-in was turned on: signing in now takes a code from your authenticator app.',
      disabled: 'Two-step sign-in was turned off: signing in now takes your password alone.',
      'codes-regenerated': 'New recovery codes were made; the old ones no longer work.',
      'code-used': `A recovery code was used to sign in. ${codesLeft} recovery code${codesLeft === 1 ? '' : 's'} left.`,
    }[change];
    return message(settings, to, 'second-factor-changed', `Your ${settings.appName} sign-in settings changed`, {
      greeting: 'Hello,',
      ...notMe(settings, `${what} (account ${to})`, secure),
    });
  },
};
