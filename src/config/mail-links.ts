/** Where the service's own pages for mailed links are served. */
export const ACCOUNT_PAGES_PATH = '/account';

/** Where each mailed link points, `{token}` standing for the token; a template starting with `/` is on the service itself. */
export interface MailLinks {
  readonly passwordReset: string;
  readonly emailVerification: string;
  readonly emailChange: string;
  /** The "it was not me" link of the notices. */
  readonly secureAccount: string;
}

const PAGES = {
  passwordReset: 'reset-password',
  emailVerification: 'verify-email',
  emailChange: 'confirm-email-change',
  secureAccount: 'secure-account',
} as const satisfies Record<keyof MailLinks, string>;

/** The app the links would point at when there is neither APP_URL nor pages of the service's own (the contract's default). */
const DEFAULT_APP_URL = 'http://localhost:3000';

/**
 * The mailed links: each its own setting (`PASSWORD_RESET_URL`, …) when given;
 * else the page of that name under APP_URL when set; else, with the service's
 * own pages on (ACCOUNT_PAGES, the default outside production), those pages;
 * else under http://localhost:3000.
 */
export function mailLinks(settings: {
  appUrl: string | undefined;
  accountPages: boolean;
  templates: { readonly [K in keyof MailLinks]?: string | undefined };
}): MailLinks {
  const { appUrl, accountPages, templates } = settings;
  const base = appUrl ? appUrl.replace(/\/+$/, '') : accountPages ? ACCOUNT_PAGES_PATH : DEFAULT_APP_URL;
  const link = (name: keyof MailLinks) => templates[name] ?? `${base}/${PAGES[name]}?token={token}`;
  return {
    passwordReset: link('passwordReset'),
    emailVerification: link('emailVerification'),
    emailChange: link('emailChange'),
    secureAccount: link('secureAccount'),
  };
}
