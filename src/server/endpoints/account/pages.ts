/** The pages the service serves for the links it mails (and the one that asks for a reset link). */
export type AccountPageName =
  | 'forgot-password'
  | 'reset-password'
  | 'verify-email'
  | 'confirm-email-change'
  | 'secure-account';

interface Field {
  name: string;
  label: string;
  type: 'email' | 'password' | 'text';
  autocomplete: string;
  /** Shown only once the answer asks for it (a second-factor code, the password of then). */
  hidden?: boolean;
  numeric?: boolean;
}

interface PageText {
  title: string;
  intro: string;
  button: string;
  done: string;
  /** What the page asks for besides the link's token. */
  fields: Field[];
  /** Whether the page stands for a mailed link (so that, opened without one, it asks for the mail's code). */
  fromMail: boolean;
}

const EMAIL: Field = { name: 'email', label: 'Email address', type: 'email', autocomplete: 'email' };
const MAILED_CODE: Field = {
  name: 'code-from-mail',
  label: 'Code from the mail (8 digits)',
  type: 'text',
  autocomplete: 'one-time-code',
  numeric: true,
};

const PAGES: Record<AccountPageName, PageText> = {
  'forgot-password': {
    title: 'Forgot your password?',
    intro: 'Enter the address of your account: if it has one, we mail it a link to choose a new password.',
    button: 'Mail me a link',
    done: 'If an account has this address, a link is on its way to it. Open it to choose a new password.',
    fields: [EMAIL],
    fromMail: false,
  },
  'reset-password': {
    title: 'Choose a new password',
    intro: 'Every session of the account ends once the new password is set.',
    button: 'Set the new password',
    done: 'Your new password is set, and every session of the account has ended. Sign in with it.',
    fields: [
      {
        name: 'newPassword',
        label: 'New password (at least 8 characters)',
        type: 'password',
        autocomplete: 'new-password',
      },
      {
        name: 'code',
        label: 'Code from your authenticator app, or a recovery code',
        type: 'text',
        autocomplete: 'one-time-code',
        hidden: true,
      },
    ],
    fromMail: true,
  },
  'verify-email': {
    title: 'Confirm your email address',
    intro: 'Confirm that this address is yours: nothing happens until you press the button.',
    button: 'Confirm my address',
    done: 'Your address is confirmed. You can close this page.',
    fields: [],
    fromMail: true,
  },
  'confirm-email-change': {
    title: 'Confirm your new email address',
    intro: 'The account moves to this address once you press the button; the old address is told.',
    button: 'Use this address',
    done: 'The address of the account has changed.',
    fields: [],
    fromMail: true,
  },
  'secure-account': {
    title: 'It was not me',
    intro:
      'This ends every session of your account at once, undoes what was changed since the mail told you of it (new second factors, a new address), and locks the password until you choose a new one: we mail you a link for it.',
    button: 'Secure my account',
    done: 'Your account is secured: every session has ended. We are mailing you a link to choose a new password.',
    fields: [
      {
        name: 'password',
        label: 'Your password, as it was when the mail was sent',
        type: 'password',
        autocomplete: 'current-password',
        hidden: true,
      },
    ],
    fromMail: true,
  },
};

export const ACCOUNT_PAGE_NAMES = Object.keys(PAGES) as AccountPageName[];

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function input(field: Field, autofocus: boolean): string {
  const attributes = [
    `id="${field.name}"`,
    `name="${field.name}"`,
    `type="${field.type}"`,
    `autocomplete="${field.autocomplete}"`,
    `aria-describedby="${field.name}-problem"`,
    ...(field.hidden ? [] : ['required']),
    ...(field.numeric ? ['inputmode="numeric"'] : []),
    ...(autofocus ? ['autofocus'] : []),
  ];
  return `<div class="field"${field.hidden ? ' hidden' : ''}>
      <label for="${field.name}">${escapeHtml(field.label)}</label>
      <input ${attributes.join(' ')}>
      <p id="${field.name}-problem" class="field-problem" aria-live="polite"></p>
    </div>`;
}

export const ACCOUNT_PAGE_STYLE = `body { font: 16px/1.5 system-ui, sans-serif; max-width: 34rem; margin: 2rem auto; padding: 0 1rem; color: #1b2532 }
header { color: #555 }
.field { margin: 1rem 0 }
label { display: block; font-weight: 600 }
input { font: inherit; width: 100%; box-sizing: border-box; padding: .4rem; border: 1px solid #8a96a3; border-radius: 4px }
input[aria-invalid="true"] { border-color: #b00020 }
button { font: inherit; padding: .5rem 1rem; border-radius: 4px; border: 1px solid #1b2532; background: #1b2532; color: #fff; cursor: pointer }
button:disabled { opacity: .6 }
:focus-visible { outline: 3px solid #3b7ddd; outline-offset: 2px }
.field-problem, #problem { color: #b00020; margin: .25rem 0 0 }
#done { background: #eef6ee; padding: .75rem; border-radius: 4px }`;

/**
 * One account page as HTML: what the link will do, and a form that does it on
 * a click (never on load). Opened without a token, a mailed link's page asks for
 * the address and the mail's code instead, for a person reading it elsewhere.
 */
export function accountPage(
  name: AccountPageName,
  options: { appName: string; endpoint: string; withToken: boolean; script: string },
): string {
  const text = PAGES[name];
  const fields = [...(text.fromMail && !options.withToken ? [EMAIL, MAILED_CODE] : []), ...text.fields];
  const visible = fields.filter((field) => !field.hidden);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(text.title)} · ${escapeHtml(options.appName)}</title>
<style>${ACCOUNT_PAGE_STYLE}</style>
</head>
<body>
<header>${escapeHtml(options.appName)}</header>
<main data-page="${name}" data-endpoint="${escapeHtml(options.endpoint)}">
  <h1>${escapeHtml(text.title)}</h1>
  <p>${escapeHtml(text.intro)}</p>
  <form novalidate>
    ${fields.map((field, index) => input(field, index === 0 && visible.includes(field))).join('\n    ')}
    <p id="problem" role="alert" tabindex="-1"></p>
    <button type="submit"${visible.length === 0 ? ' autofocus' : ''}>${escapeHtml(text.button)}</button>
    <p id="status" role="status"></p>
  </form>
  <p id="done" role="status" tabindex="-1" hidden data-message="${escapeHtml(text.done)}"></p>
</main>
<script>${options.script}</script>
</body>
</html>
`;
}
