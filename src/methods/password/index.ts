import type { SignInMethod } from '../../auth/method.ts';
import { PASSWORD_AMR } from './sign-up.ts';

/** The account's password: the first step every account has (sign-up, login, changing it). */
export const password: SignInMethod = {
  id: 'password',
  amr: PASSWORD_AMR,
  words: 'the password',
  steps: ['first'],
  graphql: () => import('./graphql.ts'),
};
