// The operations the tests send, written once.

export const SIGN_UP = /* GraphQL */ `
  mutation SignUp($email: String!, $password: String!, $name: String) {
    signUp(email: $email, password: $password, name: $name) {
      accessToken
      tokenType
      expiresIn
      refreshToken
      user { id email name role createdAt }
    }
  }
`;

export const LOGIN = /* GraphQL */ `
  mutation Login($email: String!, $password: String!) {
    login(email: $email, password: $password) {
      accessToken
      tokenType
      expiresIn
      refreshToken
      user { id email name role createdAt }
    }
  }
`;

export const ME = /* GraphQL */ `
  query Me {
    me { id email name role createdAt }
  }
`;

export interface AuthPayload {
  accessToken: string;
  tokenType: string;
  expiresIn: number;
  refreshToken: string;
  user: { id: string; email: string; name: string | null; role: 'USER' | 'ADMIN'; createdAt: string };
}
