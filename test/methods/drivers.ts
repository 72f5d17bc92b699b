import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import {
  type Account,
  addPasskey,
  enableTotp,
  expectNoErrors,
  type GraphQLResponse,
  LOGIN,
  logIn,
  logInWithPasskey,
  newAuthenticator,
  SET_UP_TOTP,
  type TestApp,
  VERIFY_SECOND_FACTOR,
  verifyAddress,
} from '../fixtures/index.ts';

// How a test drives each sign-in method through the API, as a person would:
// the conformance suite runs the same checks over every method of the list,
// and a method joins it by having a driver here.

/** What proves the method for an account once it is set up (an app's codes, an authenticator). */
export type Proof = unknown;

export interface MethodDriver {
  /** Sets the method up for a fresh signed-in account, as its owner does; resolves with what proves it. */
  enrol(t: TestApp, account: Account): Promise<Proof>;
  /** Leaves a set-up half done, which must not count as set up (for a method that has such a state). */
  enrolHalfway?(t: TestApp, account: Account): Promise<void>;
  /** Signs in with the method alone (a first step); resolves with the access token. */
  signIn?(t: TestApp, account: Account, proof: Proof): Promise<string>;
  /** Finishes a login answered SECOND_FACTOR_REQUIRED with the method; resolves with the access token. */
  finishChallenge?(t: TestApp, challenge: string, proof: Proof): Promise<string>;
  /** For a method that prunes: begins a ceremony of the account, and counts the account's unfinished ones. */
  prunable?: {
    begin(t: TestApp, account: Account, proof: Proof): Promise<() => Promise<GraphQLResponse<unknown>>>;
    rows(t: TestApp, account: Account): Promise<number>;
  };
}

interface AppCodes {
  code(stepOffset?: number): string;
}

const password: MethodDriver = {
  enrol: async (_t, account) => account.password,
  signIn: async (t, account) => (await logIn(t, account)).accessToken,
};

const totp: MethodDriver = {
  enrol: (t, account) => enableTotp(t, account),
  async enrolHalfway(t, account) {
    await verifyAddress(t, account);
    expectNoErrors(await t.graphql(SET_UP_TOTP, { password: account.password }, { token: account.accessToken }));
  },
  async finishChallenge(t, challenge, proof) {
    const { verifySecondFactor } = expectNoErrors(
      await t.graphql(VERIFY_SECOND_FACTOR, { challenge, code: (proof as AppCodes).code() }),
    );
    return verifySecondFactor.accessToken;
  },
};

type Authenticator = ReturnType<typeof newAuthenticator>;

const passkeyLoginOptions = async (t: TestApp, email: string) =>
  expectNoErrors(
    await t.graphql<{ passkeyLoginOptions: PublicKeyCredentialRequestOptionsJSON }>(
      'mutation($email: String) { passkeyLoginOptions(email: $email) }',
      { email },
    ),
  ).passkeyLoginOptions;

const passkeys: MethodDriver = {
  async enrol(t, account) {
    await verifyAddress(t, account);
    const authenticator = newAuthenticator();
    await addPasskey(t, account, authenticator);
    return authenticator;
  },
  async signIn(t, _account, proof) {
    return expectNoErrors(await logInWithPasskey(t, proof as Authenticator)).loginWithPasskey.accessToken;
  },
  async finishChallenge(t, challenge, proof) {
    const { passkeySecondFactorOptions } = expectNoErrors(
      await t.graphql<{ passkeySecondFactorOptions: PublicKeyCredentialRequestOptionsJSON }>(
        'mutation($c: String!) { passkeySecondFactorOptions(challenge: $c) }',
        { c: challenge },
      ),
    );
    const { verifySecondFactorWithPasskey } = expectNoErrors(
      await t.graphql<{ verifySecondFactorWithPasskey: { accessToken: string } }>(
        'mutation($c: String!, $r: JSONObject!) { verifySecondFactorWithPasskey(challenge: $c, response: $r) { accessToken } }',
        { c: challenge, r: (proof as Authenticator).get(passkeySecondFactorOptions) },
      ),
    );
    return verifySecondFactorWithPasskey.accessToken;
  },
  prunable: {
    // Email-first options are bound to the account: the ones begun and never answered are its rows.
    async begin(t, account, proof) {
      const options = await passkeyLoginOptions(t, account.email);
      return () =>
        t.graphql('mutation($r: JSONObject!) { loginWithPasskey(response: $r) { accessToken } }', {
          r: (proof as Authenticator).get(options),
        });
    },
    rows: (t, account) =>
      t.services.prisma.webAuthnChallenge.count({ where: { userId: account.userId, usedAt: null } }),
  },
};

/** The drivers, by method id. */
export const DRIVERS: Readonly<Record<string, MethodDriver>> = { password, totp, passkeys };

/** A password login of the account, which must be answered SECOND_FACTOR_REQUIRED: its challenge and methods. */
export async function passwordChallenge(t: TestApp, account: Account) {
  const response = await t.graphql(LOGIN, { email: account.email, password: account.password });
  const [error] = response.body.errors ?? [];
  return {
    code: error?.extensions?.code,
    challenge: String(error?.extensions?.challenge ?? ''),
    methods: (error?.extensions?.methods ?? []) as string[],
  };
}
