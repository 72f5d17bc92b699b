import { describe, expect } from 'vitest';
import { expectNoErrors, ME, SIGN_UP, STRONG_PASSWORD, uniqueEmail, type TestApp } from '../fixtures/index.ts';
import { test as it } from '../fixtures/suite.ts';

let t: TestApp;
it.beforeAll(({ app }) => {
  t = app;
});

describe('signUp', () => {
  it('creates an account and returns a working pair of tokens', async () => {
    const email = uniqueEmail();
    const { signUp } = expectNoErrors(await t.graphql(SIGN_UP, { email, password: STRONG_PASSWORD, name: 'Ada' }));
    expect(signUp.tokenType).toBe('Bearer');
    expect(signUp.expiresIn).toBe(900);
    expect(signUp.user).toMatchObject({ email, name: 'Ada', role: 'USER' });
    const { me } = expectNoErrors(await t.graphql(ME, {}, { token: signUp.accessToken }));
    expect(me?.email).toBe(email);
  });
});
