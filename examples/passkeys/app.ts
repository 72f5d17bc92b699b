// The passkey example page: sign up or log in, add a passkey, sign in with it.
// What a frontend does, with @simplewebauthn/browser for the browser's half of
// the ceremony and the examples' TokenStore for the pair. Every ceremony is the
// same three steps: options from Tollgate, the browser's answer, back to Tollgate.
import { startAuthentication, startRegistration } from '@simplewebauthn/browser';
import { type TokenPair, TokenStore } from '../token-store.ts';

declare const TOLLGATE_URL: string;

type Options = Parameters<typeof startAuthentication>[0]['optionsJSON'];
type CreationOptions = Parameters<typeof startRegistration>[0]['optionsJSON'];

class TollgateError extends Error {
  constructor(
    message: string,
    readonly extensions: { code?: string; reason?: string; methods?: string[]; challenge?: string },
  ) {
    super(message);
  }
}

const tokens = new TokenStore();
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const show = (text: string) => {
  $('status').textContent = text;
};

async function request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(TOLLGATE_URL, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(tokens.accessToken ? { authorization: `Bearer ${tokens.accessToken}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const answer = (await response.json()) as { data?: T; errors?: Array<{ message: string; extensions?: object }> };
  const [error] = answer.errors ?? [];
  if (error) throw new TollgateError(error.message, error.extensions ?? {});
  return answer.data as T;
}

const PAIR = 'accessToken refreshToken user { email }';
type Signed = TokenPair & { user: { email: string } };

function signedIn(pair: Signed, how: string) {
  tokens.set(pair);
  show(`Signed in as ${pair.user.email} (${how}).`);
  void listPasskeys();
}

/** Runs a change; if Tollgate wants the second factor proved again first, proves it with a passkey and retries. */
async function withStepUp<T>(change: () => Promise<T>): Promise<T> {
  try {
    return await change();
  } catch (error) {
    const needed = error instanceof TollgateError && error.extensions.reason === 'STEP_UP_REQUIRED';
    if (!needed || !error.extensions.methods?.includes('PASSKEY')) throw error;
    const { passkeyStepUpOptions } = await request<{ passkeyStepUpOptions: Options }>(
      'mutation { passkeyStepUpOptions }',
    );
    const response = await startAuthentication({ optionsJSON: passkeyStepUpOptions });
    await request('mutation($response: JSONObject!) { stepUpWithPasskey(response: $response) }', { response });
    return change();
  }
}

async function listPasskeys() {
  const { passkeys } = await request<{ passkeys: Array<{ id: string; name: string }> }>('{ passkeys { id name } }');
  $('passkeys').replaceChildren(
    ...passkeys.map((passkey) => {
      const remove = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Remove' });
      remove.addEventListener('click', () => run(() => removePasskey(passkey)));
      const item = Object.assign(document.createElement('li'), { textContent: `${passkey.name} ` });
      item.append(remove);
      return item;
    }),
  );
}

async function removePasskey(passkey: { id: string; name: string }) {
  await withStepUp(() => request('mutation($id: ID!) { removePasskey(id: $id) }', { id: passkey.id }));
  show(`Passkey "${passkey.name}" removed.`);
  await listPasskeys();
}

const credentials = () => ({
  email: $<HTMLInputElement>('email').value,
  password: $<HTMLInputElement>('password').value,
});

/** A login answered SECOND_FACTOR_REQUIRED, finished with a passkey instead of a code. */
async function secondFactorWithPasskey(challenge: string) {
  const { passkeySecondFactorOptions } = await request<{ passkeySecondFactorOptions: Options }>(
    'mutation($challenge: String!) { passkeySecondFactorOptions(challenge: $challenge) }',
    { challenge },
  );
  const response = await startAuthentication({ optionsJSON: passkeySecondFactorOptions });
  const { verifySecondFactorWithPasskey } = await request<{ verifySecondFactorWithPasskey: Signed }>(
    `mutation($challenge: String!, $response: JSONObject!) {
      verifySecondFactorWithPasskey(challenge: $challenge, response: $response) { ${PAIR} }
    }`,
    { challenge, response },
  );
  signedIn(verifySecondFactorWithPasskey, 'password and passkey');
}

async function signInWithPasskey(email: string | null) {
  const { passkeyLoginOptions } = await request<{ passkeyLoginOptions: Options }>(
    'mutation($email: String) { passkeyLoginOptions(email: $email) }',
    { email },
  );
  const response = await startAuthentication({ optionsJSON: passkeyLoginOptions });
  const { loginWithPasskey } = await request<{ loginWithPasskey: Signed }>(
    `mutation($response: JSONObject!) { loginWithPasskey(response: $response) { ${PAIR} } }`,
    { response },
  );
  signedIn(loginWithPasskey, email ? 'passkey, email first' : 'passkey');
}

const actions: Record<string, () => Promise<void>> = {
  'sign-up': async () => {
    const { signUp } = await request<{ signUp: Signed }>(
      `mutation($email: String!, $password: String!) { signUp(email: $email, password: $password) { ${PAIR} } }`,
      credentials(),
    );
    signedIn(signUp, 'password');
  },
  'log-in': async () => {
    try {
      const { login } = await request<{ login: Signed }>(
        `mutation($email: String!, $password: String!) { login(email: $email, password: $password) { ${PAIR} } }`,
        credentials(),
      );
      signedIn(login, 'password');
    } catch (error) {
      const { code, methods, challenge } = error instanceof TollgateError ? error.extensions : {};
      if (code !== 'SECOND_FACTOR_REQUIRED' || !methods?.includes('PASSKEY') || !challenge) throw error;
      await secondFactorWithPasskey(challenge);
    }
  },
  'log-out': async () => {
    await request('mutation($r: String) { logout(refreshToken: $r) }', { r: tokens.refreshToken });
    tokens.clear();
    $('passkeys').replaceChildren();
    show('Signed out.');
  },
  'verify-email': async () => {
    await request('mutation($token: String!, $email: String!) { verifyEmail(token: $token, email: $email) }', {
      token: $<HTMLInputElement>('code').value,
      email: $<HTMLInputElement>('email').value,
    });
    show('Address confirmed.');
  },
  'add-passkey': async () => {
    // A new way in: the password again, and the second factor (step-up) when there is one.
    const { passkeyRegistrationOptions } = await withStepUp(() =>
      request<{ passkeyRegistrationOptions: CreationOptions }>(
        'mutation($password: String!) { passkeyRegistrationOptions(password: $password) }',
        { password: credentials().password },
      ),
    );
    const response = await startRegistration({ optionsJSON: passkeyRegistrationOptions });
    const { registerPasskey } = await request<{ registerPasskey: { name: string } }>(
      'mutation($response: JSONObject!, $name: String) { registerPasskey(response: $response, name: $name) { name } }',
      { response, name: $<HTMLInputElement>('passkey-name').value },
    );
    show(`Passkey "${registerPasskey.name}" added.`);
    await listPasskeys();
  },
  'passkey-sign-in': () => signInWithPasskey(null),
  'passkey-email-sign-in': () => signInWithPasskey($<HTMLInputElement>('email').value),
};

function run(action: () => Promise<void>) {
  action().catch((error: unknown) => {
    const code = error instanceof TollgateError ? `${error.extensions.code}: ` : '';
    show(`Failed: ${code}${error instanceof Error ? error.message : String(error)}`);
  });
}

for (const [id, action] of Object.entries(actions)) $(id).addEventListener('click', () => run(action));
