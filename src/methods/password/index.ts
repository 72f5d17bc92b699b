import type { SignInMethod } from '../../auth/method.ts';

/** The account's password: the first step every account has. */
export const password: SignInMethod = {
  id: 'password',
  amr: ['pwd'],
  words: 'the password',
  steps: ['first'],
};
