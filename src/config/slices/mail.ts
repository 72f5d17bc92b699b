import { z } from 'zod';
import { type MailLinks, mailLinks } from '../mail-links.ts';
import { settingsSlice } from '../slice.ts';
import { duration, httpUrl, linkTemplate, onOff, optional, smtpUrl } from '../env-values.ts';

export interface MailSettings {
  /** `log`: each message goes to the log (and the development mail page); `smtp`: sent through `url`. */
  readonly transport: { readonly kind: 'log' } | { readonly kind: 'smtp'; readonly url: string };
  readonly from: string;
  readonly appName: string;
  /** Where mailed links point, `{token}` standing for the token (on the service itself for a path). */
  readonly links: MailLinks;
  readonly passwordResetTtlSeconds: number;
  /** Also the lifetime of an email change's token. */
  readonly emailVerificationTtlSeconds: number;
  /** `login` (and `signUp`) of an account whose address is not verified is FORBIDDEN. */
  readonly requireEmailVerification: boolean;
  /** A sign-in from a browser or program the account has not used mails the account a notice. */
  readonly newSignInNotice: boolean;
}

/** What the service mails, how, and where its links lead: the pages of a frontend, or its own. */
export const mailSettings = settingsSlice(
  {
    EMAIL_TRANSPORT: optional(z.enum(['log', 'smtp'])),
    SMTP_URL: optional(smtpUrl),
    EMAIL_FROM: optional(z.string()).default('Tollgate <no-reply@localhost>'),
    APP_NAME: optional(z.string()).default('Tollgate'),
    APP_URL: optional(httpUrl),
    PASSWORD_RESET_URL: optional(linkTemplate),
    EMAIL_VERIFICATION_URL: optional(linkTemplate),
    EMAIL_CHANGE_URL: optional(linkTemplate),
    SECURE_ACCOUNT_URL: optional(linkTemplate),
    PASSWORD_RESET_TTL: optional(duration).default(30 * 60),
    EMAIL_VERIFICATION_TTL: optional(duration).default(24 * 3600),
    REQUIRE_EMAIL_VERIFICATION: optional(onOff).default(false),
    NEW_SIGN_IN_MAIL: optional(onOff).default(true),
  },
  (e, { production, errors, accountPages, publicUrl }: MailContext) => {
    const transport = e.EMAIL_TRANSPORT ?? (production ? undefined : 'log');
    if (!transport) {
      errors.push(
        'EMAIL_TRANSPORT: required in production: smtp, with SMTP_URL (password resets and verification need mail)',
      );
    } else if (transport === 'log' && production) {
      errors.push('EMAIL_TRANSPORT: log writes reset and verification links to the log; use smtp in production');
    } else if (transport === 'smtp' && !e.SMTP_URL) {
      errors.push('SMTP_URL: required with EMAIL_TRANSPORT=smtp (smtp://user:password@host:587 or smtps://…)');
    }
    if (production && accountPages && !e.APP_URL && !publicUrl) {
      errors.push(
        'PUBLIC_URL: required in production with ACCOUNT_PAGES=on and no APP_URL: the links in mail open the pages of the service, at its public address',
      );
    }
    const mail: MailSettings = {
      transport: transport === 'smtp' && e.SMTP_URL ? { kind: 'smtp', url: e.SMTP_URL } : { kind: 'log' },
      from: e.EMAIL_FROM,
      appName: e.APP_NAME,
      links: mailLinks({
        appUrl: e.APP_URL,
        accountPages,
        templates: {
          passwordReset: e.PASSWORD_RESET_URL,
          emailVerification: e.EMAIL_VERIFICATION_URL,
          emailChange: e.EMAIL_CHANGE_URL,
          secureAccount: e.SECURE_ACCOUNT_URL,
        },
      }),
      passwordResetTtlSeconds: e.PASSWORD_RESET_TTL,
      emailVerificationTtlSeconds: e.EMAIL_VERIFICATION_TTL,
      requireEmailVerification: e.REQUIRE_EMAIL_VERIFICATION,
      newSignInNotice: e.NEW_SIGN_IN_MAIL,
    };
    return { mail };
  },
);

interface MailContext {
  production: boolean;
  errors: string[];
  /** Whether the service serves the pages its links open (ACCOUNT_PAGES), at `publicUrl`. */
  accountPages: boolean;
  publicUrl: string | undefined;
}
