import { graphql } from './generated/gql.ts';

// The operations both client examples send. `npm run codegen` turns each into a
// typed document (examples/generated/), so results and variables are checked.

graphql(`
  fragment SessionTokens on AuthPayload {
    accessToken
    refreshToken
    expiresIn
    user { id email name }
  }
`);

export const SignUp = graphql(`
  mutation SignUp($email: String!, $password: String!, $name: String) {
    signUp(email: $email, password: $password, name: $name) { ...SessionTokens }
  }
`);

export const Login = graphql(`
  mutation Login($email: String!, $password: String!) {
    login(email: $email, password: $password) { ...SessionTokens }
  }
`);

export const Refresh = graphql(`
  mutation Refresh($refreshToken: String!) {
    refresh(refreshToken: $refreshToken) { ...SessionTokens }
  }
`);

export const Logout = graphql(`
  mutation Logout($refreshToken: String) {
    logout(refreshToken: $refreshToken)
  }
`);

export const Me = graphql(`
  query Me {
    me { id email name role }
  }
`);

export const Sessions = graphql(`
  query Sessions {
    sessions { id current }
  }
`);

export const VerifySecondFactor = graphql(`
  mutation VerifySecondFactor($challenge: String!, $code: String!) {
    verifySecondFactor(challenge: $challenge, code: $code) { ...SessionTokens }
  }
`);
