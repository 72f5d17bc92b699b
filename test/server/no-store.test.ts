import { describe, expect } from 'vitest';
import {
  CHANGE_PASSWORD,
  expectNoErrors,
  LOGIN,
  ME,
  REFRESH,
  signUp,
  type GraphQLResponse,
  type TestApp,
} from '../fixtures/index.ts';
import { test as it } from '../fixtures/suite.ts';

// Responses that carry tokens, or a user's own data, must not be kept by any
// cache between the service and the client (RFC 6749 §5.1).

let t: TestApp;
it.beforeAll(({ app }) => {
  t = app;
});

function expectNoStore(response: Pick<GraphQLResponse<unknown>, 'headers'>) {
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(response.headers.get('pragma')).toBe('no-cache');
}

describe('Cache-Control: no-store', () => {
  it('is on every response that carries tokens: signUp, login, refresh and changePassword', async () => {
    const account = await signUp(t);
    const login = await t.graphql(LOGIN, { email: account.email, password: account.password });
    expectNoStore(login);
    const { login: session } = expectNoErrors(login);
    const refreshed = await t.graphql(REFRESH, { refreshToken: session.refreshToken });
    expectNoStore(refreshed);
    const changed = await t.graphql(
      CHANGE_PASSWORD,
      { currentPassword: account.password, newPassword: 'quiet-meadow-compass-97' },
      { token: expectNoErrors(refreshed).refresh.accessToken },
    );
    expectNoErrors(changed);
    expectNoStore(changed);
    const signedUp = await t.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query:
          'mutation { signUp(email: "no-store@example.com", password: "violet-harbour-lantern-42") { accessToken } }',
      }),
    });
    expect(signedUp.status).toBe(200);
    expectNoStore(signedUp);
  });

  it("is on errors and on reads of the caller's own data too", async () => {
    const account = await signUp(t);
    expectNoStore(await t.graphql(ME, {}, { token: account.accessToken }));
    expectNoStore(await t.graphql(LOGIN, { email: account.email, password: 'not-the-password' }));
    expectNoStore(
      await t.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' }),
    );
  });

  it('is not on the GraphiQL page, which holds no token', async () => {
    const page = await t.fetch('/graphql', { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('cache-control')).not.toBe('no-store');
  });
});
