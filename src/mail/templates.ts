import type { MailLinks } from '../config/mail-links.ts';
import type { MailMessage } from './message.ts';

export interface MailSettings {
  appName: string;
  /** Where mailed links point, `{token}` standing for the token; one that starts with `/` is on the service itself. */
  links: MailLinks;
  /** Where the service is reached now (PUBLIC_URL, or where it listens): the base of a link on the service itself. */
  publicUrl(): string;
}

/** What a mail gives its reader: a link holding `token`, and `code` to type on another device. */
export interface MailedToken {
  token: string;
  /** Eight digits, shown as "1234 5678". */
  code: string;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** The link of `template` with `token` in it, on the service itself when the template is a path. */
const linkWith = (settings: MailSettings, template: string, token: string) => {
  const link = template.replaceAll('{token}', encodeURIComponent(token));
  return link.startsWith('/') ? `${settings.publicUrl()}${link}` : link;
};

/** "30 minutes", "24 hours", "2 days": how long a link works, as a person reads it. */
export function readableDuration(seconds: number): string {
  const units: Array<[number, string]> = [
    [86400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
  ];
  for (const [size, name] of units) {
    if (seconds >= size && seconds % size === 0) {
      const count = seconds / size;
      return `${count} ${name}${count === 1 ? '' : 's'}`;
    }
  }
  return `${seconds} seconds`;
}

/** A message's parts: its greeting, paragraphs, one action (a link and its code) and closing. */
export interface Body {
  greeting: string;
  paragraphs: string[];
  action?: { label: string; link: string; code?: string };
  closing: string;
}

/** A message in plain text and HTML from its parts: every mail is one. */
export function message(settings: MailSettings, to: string, kind: string, subject: string, body: Body): MailMessage {
  const text = [
    body.greeting,
    '',
    ...body.paragraphs.flatMap((paragraph) => [paragraph, '']),
    ...(body.action ? [`${body.action.label}:`, body.action.link, ''] : []),
    ...(body.action?.code ? [`${CODE_INTRO} ${body.action.code}`, ''] : []),
    body.closing,
    '',
    `— ${settings.appName}`,
    '',
  ].join('\n');
  const html = `<!doctype html>
<html><body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1b2532">
<p>${escapeHtml(body.greeting)}</p>
${body.paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join('\n')}
${
  body.action
    ? `<p><a href="${escapeHtml(body.action.link)}">${escapeHtml(body.action.label)}</a></p>
<p style="font-size: 90%; color: #555">If the button does not work, copy this address into your browser:<br>${escapeHtml(body.action.link)}</p>`
    : ''
}${
  body.action?.code
    ? `\n<p>${escapeHtml(CODE_INTRO)} <strong style="font-size: 130%; letter-spacing: 0.1em">${escapeHtml(body.action.code)}</strong></p>`
    : ''
}
<p>${escapeHtml(body.closing)}</p>
<p>— ${escapeHtml(settings.appName)}</p>
</body></html>
`;
  return {
    to,
    subject,
    text,
    html,
    kind,
    ...(body.action ? { link: body.action.link } : {}),
    ...(body.action?.code ? { code: body.action.code } : {}),
  };
}

const CODE_INTRO = 'On another device, enter this code instead:';
const IGNORE = 'If you did not ask for this, you can ignore this message: nothing changes.';
const NOT_YOU = 'If this was not you, reset your password now and contact support.';

/** How long a notice's "it was not me" link works: a notice may be read days later. */
export const SECURE_ACCOUNT_TTL_SECONDS = 7 * 86400;

/**
 * What a notice of a change says when it carries the "it was not me" link
 * (`secure`): the paragraph, the link and its code, and the closing.
 */
export function notMe(settings: MailSettings, what: string, secure: MailedToken | undefined) {
  if (!secure) return { paragraphs: [what], closing: NOT_YOU };
  return {
    paragraphs: [
      what,
      'If this was you, there is nothing to do.',
      `If it was not you, someone has your password. The link below ends every session of the account at once, undoes what was changed since (new second factors, a new address), and locks the password until you choose a new one (we mail you a reset link); it works once, for ${readableDuration(SECURE_ACCOUNT_TTL_SECONDS)}.`,
    ],
    action: {
      label: 'It was not me: secure my account',
      link: linkWith(settings, settings.links.secureAccount, secure.token),
      code: secure.code,
    },
    closing: 'If you use this password anywhere else, change it there too.',
  };
}

export const mails = {
  passwordReset: (settings: MailSettings, to: string, { token, code }: MailedToken, ttlSeconds: number) =>
    message(settings, to, 'password-reset', `Reset your ${settings.appName} password`, {
      greeting: 'Hello,',
      paragraphs: [
        `Someone asked to reset the password of the ${settings.appName} account for ${to}.`,
        `The link and the code below work once, for ${readableDuration(ttlSeconds)}. Every session of the account ends when the password is reset.`,
      ],
      action: { label: 'Choose a new password', link: linkWith(settings, settings.links.passwordReset, token), code },
      closing: IGNORE,
    }),

  emailVerification: (settings: MailSettings, to: string, { token, code }: MailedToken, ttlSeconds: number) =>
    message(settings, to, 'email-verification', `Confirm your email address for ${settings.appName}`, {
      greeting: 'Hello,',
      paragraphs: [
        `Please confirm that ${to} is your address for ${settings.appName}.`,
        `The link and the code below work once, for ${readableDuration(ttlSeconds)}.`,
      ],
      action: {
        label: 'Confirm this address',
        link: linkWith(settings, settings.links.emailVerification, token),
        code,
      },
      closing: IGNORE,
    }),

  emailChange: (settings: MailSettings, to: string, { token, code }: MailedToken, ttlSeconds: number) =>
    message(settings, to, 'email-change', `Confirm your new email address for ${settings.appName}`, {
      greeting: 'Hello,',
      paragraphs: [
        `Someone asked to make ${to} the address of a ${settings.appName} account.`,
        `The link and the code below work once, for ${readableDuration(ttlSeconds)}. Nothing changes until one of them is used.`,
      ],
      action: { label: 'Use this address', link: linkWith(settings, settings.links.emailChange, token), code },
      closing: IGNORE,
    }),

  emailChangeRequested: (settings: MailSettings, to: string, newEmail: string, secure?: MailedToken) =>
    message(settings, to, 'email-change-requested', `Your ${settings.appName} email address may change`, {
      greeting: 'Hello,',
      ...notMe(
        settings,
        `Someone signed in to your ${settings.appName} account asked to change its address from ${to} to ${newEmail}. Nothing changes until the link sent to the new address is followed.`,
        secure,
      ),
    }),

  emailChanged: (settings: MailSettings, to: string, newEmail: string, secure?: MailedToken) =>
    message(settings, to, 'email-changed', `Your ${settings.appName} email address was changed`, {
      greeting: 'Hello,',
      ...notMe(
        settings,
        `The address of your ${settings.appName} account is now ${newEmail}; this one (${to}) no longer signs in.`,
        secure,
      ),
    }),

  passwordChanged: (settings: MailSettings, to: string, how: 'reset' | 'changed', secure?: MailedToken) =>
    message(settings, to, 'password-changed', `Your ${settings.appName} password was changed`, {
      greeting: 'Hello,',
      ...notMe(
        settings,
        how === 'reset'
          ? `The password of your ${settings.appName} account (${to}) was reset with a link sent to this address, and every session of the account ended.`
          : `The password of your ${settings.appName} account (${to}) was changed, and every other session of the account ended.`,
        secure,
      ),
    }),

  secondFactorsReset: (settings: MailSettings, to: string) =>
    message(settings, to, 'second-factor-changed', `Your ${settings.appName} sign-in settings changed`, {
      greeting: 'Hello,',
      ...notMe(
        settings,
        `An administrator removed the second factors of your account (${to}), as you asked support to: it signs in with its password alone until you set one up again.`,
        undefined,
      ),
    }),

  accountSecured: (
    settings: MailSettings,
    to: string,
    /** `removed`: how each removed second factor is named (`the security key "Laptop"`). */
    undone: { removed: readonly string[]; addressRestored: boolean | undefined },
  ) =>
    message(settings, to, 'account-secured', `Your ${settings.appName} account is secured`, {
      greeting: 'Hello,',
      paragraphs: [
        `Every session of your ${settings.appName} account (${to}) has ended, and its password signs nobody in until you choose a new one.`,
        ...(undone.removed.length > 0 ? [`Added since then, and now removed: ${undone.removed.join('; ')}.`] : []),
        ...(undone.addressRestored === true ? [`The account's address is ${to} again.`] : []),
        ...(undone.addressRestored === false
          ? [
              `The account's address was changed from ${to}, and another account now has ${to}, so it could not be given back: contact support to get the account back. No reset link was sent.`,
            ]
          : ['We are sending you a link to choose a new password.']),
      ],
      closing: 'If you use this password anywhere else, change it there too.',
    }),

  newSignIn: (
    settings: MailSettings,
    to: string,
    signIn: { at: Date; device: string; ip: string | undefined; how: string },
    secure: MailedToken,
  ) =>
    message(settings, to, 'new-sign-in', `New sign-in to your ${settings.appName} account`, {
      greeting: 'Hello,',
      ...notMe(
        settings,
        `Your ${settings.appName} account (${to}) was signed in to from ${signIn.device}, which it had not been used from before on that network, with ${signIn.how}. When: ${signIn.at.toISOString().slice(0, 16).replace('T', ' ')} UTC. Address: ${signIn.ip ?? 'unknown'}.`,
        secure,
      ),
    }),
};
