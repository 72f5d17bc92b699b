// The one script of the account pages (reset password, verify email, confirm an
// email change, "it was not me", forgot password). It acts on a click only:
// mail scanners open every link they see, and a page that called the mutation
// on load would use the token up, or lock the account, before its owner came.
// It sends the form's fields and the link's token to the service's /graphql,
// and shows the answer beside the field it names.
(() => {
  const main = document.querySelector('main');
  const form = document.querySelector('form');
  if (!main || !form) return;
  const endpoint = main.dataset.endpoint ?? '/graphql';
  const token = new URLSearchParams(location.search).get('token');
  const status = document.getElementById('status');
  const problem = document.getElementById('problem');
  const button = form.querySelector('button[type="submit"]');

  /** What each page sends, and what it shows once done. */
  const PAGES = {
    'forgot-password': {
      query: 'mutation($email: String!) { requestPasswordReset(email: $email) }',
    },
    'reset-password': {
      query:
        'mutation($token: String!, $email: String, $newPassword: String!, $code: String) { resetPassword(token: $token, email: $email, newPassword: $newPassword, code: $code) }',
    },
    'verify-email': {
      query: 'mutation($token: String!, $email: String) { verifyEmail(token: $token, email: $email) }',
    },
    'confirm-email-change': {
      query: 'mutation($token: String!, $email: String) { confirmEmailChange(token: $token, email: $email) { email } }',
      done: (data) => `The address of the account is now ${data.confirmEmailChange.email}.`,
    },
    'secure-account': {
      query:
        'mutation($token: String!, $email: String, $password: String) { secureAccount(token: $token, email: $email, password: $password) }',
    },
  };
  const page = PAGES[main.dataset.page];
  if (!page) return;

  const field = (name) => form.elements.namedItem(name);
  const typed = (name) => {
    const input = field(name);
    return input && !input.closest('[hidden]') && input.value !== '' ? input.value : undefined;
  };

  /** Shows `message` at the input `name` (or above the form), and moves the focus there. */
  function show(message, name) {
    for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
    for (const note of form.querySelectorAll('.field-problem')) note.textContent = '';
    const input = name ? field(name) : null;
    const note = input ? document.getElementById(`${name}-problem`) : null;
    if (input && note) {
      input.closest('[hidden]')?.removeAttribute('hidden');
      input.setAttribute('aria-invalid', 'true');
      note.textContent = message;
      input.focus();
      problem.textContent = '';
    } else {
      problem.textContent = message;
      problem.focus();
    }
  }

  /** Shows a hidden field the answer asks for (a second-factor code, the password of then). */
  function reveal(name, message) {
    const input = field(name);
    input?.closest('[hidden]')?.removeAttribute('hidden');
    show(message, name);
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    // The mail's code typed on this page stands for its link's token, with the address it went to.
    const variables = {
      token: token ?? typed('code-from-mail') ?? '',
      email: token ? undefined : typed('email'),
      newPassword: typed('newPassword'),
      code: typed('code'),
      password: typed('password'),
    };
    if (main.dataset.page === 'forgot-password') variables.email = typed('email') ?? '';
    button.disabled = true;
    status.textContent = 'Sending…';
    let answer;
    try {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: JSON.stringify({ query: page.query, variables }),
      });
      answer = await response.json();
    } catch {
      answer = { errors: [{ message: 'The service could not be reached; try again.' }] };
    }
    button.disabled = false;
    status.textContent = '';
    const [error] = answer.errors ?? [];
    if (!error) {
      const done = document.getElementById('done');
      done.textContent = page.done ? page.done(answer.data) : done.dataset.message;
      form.hidden = true;
      done.hidden = false;
      done.focus();
      return;
    }
    const { code, field: name, reason } = error.extensions ?? {};
    if (code === 'SECOND_FACTOR_REQUIRED') return reveal('code', error.message);
    if (code === 'BAD_USER_INPUT' && name === 'password' && field('password')) return reveal('password', error.message);
    if (code === 'BAD_USER_INPUT' && name === 'token' && !token) return show(error.message, 'code-from-mail');
    if (reason === 'STEP_UP_REQUIRED') return show(error.message);
    show(error.message, name && field(name) ? name : undefined);
  });
})();
