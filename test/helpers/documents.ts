// The operations the tests send, written once.

const AUTH_PAYLOAD_FIELDS = /* GraphQL */ `
  fragment AuthPayloadFields on AuthPayload {
    accessToken
    tokenType
    expiresIn
    refreshToken
    user { id email name role createdAt }
  }
`;

export const SIGN_UP = /* GraphQL */ `
  mutation SignUp($email: String!, $password: String!, $name: String) {
    signUp(email: $email, password: $password, name: $name) { ...AuthPayloadFields }
  }
  ${AUTH_PAYLOAD_FIELDS}
`;

export const LOGIN = /* GraphQL */ `
  mutation Login($email: String!, $password: String!) {
    login(email: $email, password: $password) { ...AuthPayloadFields }
  }
  ${AUTH_PAYLOAD_FIELDS}
`;

export const ME = /* GraphQL */ `
  query Me {
    me { id email name role createdAt }
  }
`;

export const REFRESH = /* GraphQL */ `
  mutation Refresh($refreshToken: String!) {
    refresh(refreshToken: $refreshToken) { ...AuthPayloadFields }
  }
  ${AUTH_PAYLOAD_FIELDS}
`;

export const LOGOUT = /* GraphQL */ `
  mutation Logout($refreshToken: String) {
    logout(refreshToken: $refreshToken)
  }
`;

export const LOGOUT_ALL = /* GraphQL */ `
  mutation LogoutAll {
    logoutAll
  }
`;

export const SESSIONS = /* GraphQL */ `
  query Sessions {
    sessions { id createdAt lastUsedAt userAgent current }
  }
`;

export const REVOKE_SESSION = /* GraphQL */ `
  mutation RevokeSession($id: ID!) {
    revokeSession(id: $id)
  }
`;

export const CHANGE_PASSWORD = /* GraphQL */ `
  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {
    changePassword(currentPassword: $currentPassword, newPassword: $newPassword) { ...AuthPayloadFields }
  }
  ${AUTH_PAYLOAD_FIELDS}
`;

export const UPDATE_ME = /* GraphQL */ `
  mutation UpdateMe($name: String) {
    updateMe(name: $name) { id email name role createdAt }
  }
`;

export const DELETE_ME = /* GraphQL */ `
  mutation DeleteMe($password: String!) {
    deleteMe(password: $password)
  }
`;

export const SET_ROLE = /* GraphQL */ `
  mutation SetRole($userId: ID!, $role: Role!) {
    setRole(userId: $userId, role: $role) { id email name role createdAt }
  }
`;

export const REVOKE_USER_SESSIONS = /* GraphQL */ `
  mutation RevokeUserSessions($userId: ID!) {
    revokeUserSessions(userId: $userId)
  }
`;

export interface AuthPayload {
  accessToken: string;
  tokenType: string;
  expiresIn: number;
  refreshToken: string;
  user: { id: string; email: string; name: string | null; role: 'USER' | 'ADMIN'; createdAt: string };
}

export const AUTH_EVENTS = /* GraphQL */ `
  query AuthEvents($first: Int, $after: String, $userId: ID) {
    authEvents(first: $first, after: $after, userId: $userId) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id type userId actorId sessionId ip userAgent detail createdAt } }
    }
  }
`;
