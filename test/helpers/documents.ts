import type { ResultOf } from '@graphql-typed-document-node/core';
import { print, type DocumentNode } from 'graphql';
import { graphql } from '../generated/gql.ts';

// The operations the tests send, written once. Each is a TypedDocumentNode made
// by `npm run codegen`: the request helpers infer the result and the variables
// from it. A document that codegen has not seen yet does not type-check.

export const AUTH_PAYLOAD_FIELDS = graphql(/* GraphQL */ `
  fragment AuthPayloadFields on AuthPayload {
    accessToken
    tokenType
    expiresIn
    refreshToken
    user { id email name role createdAt }
  }
`);

export type AuthPayload = ResultOf<typeof AUTH_PAYLOAD_FIELDS>;

export const SIGN_UP = graphql(/* GraphQL */ `
  mutation SignUp($email: String!, $password: String!, $name: String) {
    signUp(email: $email, password: $password, name: $name) { ...AuthPayloadFields }
  }
`);

export const LOGIN = graphql(/* GraphQL */ `
  mutation Login($email: String!, $password: String!) {
    login(email: $email, password: $password) { ...AuthPayloadFields }
  }
`);

export const ME = graphql(/* GraphQL */ `
  query Me {
    me { id email name role createdAt }
  }
`);

export const REFRESH = graphql(/* GraphQL */ `
  mutation Refresh($refreshToken: String!) {
    refresh(refreshToken: $refreshToken) { ...AuthPayloadFields }
  }
`);

export const LOGOUT = graphql(/* GraphQL */ `
  mutation Logout($refreshToken: String) {
    logout(refreshToken: $refreshToken)
  }
`);

export const LOGOUT_ALL = graphql(/* GraphQL */ `
  mutation LogoutAll {
    logoutAll
  }
`);

export const SESSIONS = graphql(/* GraphQL */ `
  query Sessions {
    sessions { id createdAt lastUsedAt userAgent current }
  }
`);

export const REVOKE_SESSION = graphql(/* GraphQL */ `
  mutation RevokeSession($id: ID!) {
    revokeSession(id: $id)
  }
`);

export const CHANGE_PASSWORD = graphql(/* GraphQL */ `
  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {
    changePassword(currentPassword: $currentPassword, newPassword: $newPassword) { ...AuthPayloadFields }
  }
`);

export const UPDATE_ME = graphql(/* GraphQL */ `
  mutation UpdateMe($name: String) {
    updateMe(name: $name) { id email name role createdAt }
  }
`);

export const DELETE_ME = graphql(/* GraphQL */ `
  mutation DeleteMe($password: String!) {
    deleteMe(password: $password)
  }
`);

export const SET_ROLE = graphql(/* GraphQL */ `
  mutation SetRole($userId: ID!, $role: Role!) {
    setRole(userId: $userId, role: $role) { id email name role createdAt }
  }
`);

export const REVOKE_USER_SESSIONS = graphql(/* GraphQL */ `
  mutation RevokeUserSessions($userId: ID!) {
    revokeUserSessions(userId: $userId)
  }
`);

export const AUTH_EVENTS = graphql(/* GraphQL */ `
  query AuthEvents($first: Int, $after: String, $userId: ID) {
    authEvents(first: $first, after: $after, userId: $userId) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id type userId actorId sessionId ip userAgent detail createdAt } }
    }
  }
`);

const printed = new WeakMap<DocumentNode, string>();

/** The text a request carries for `document`: a string as it is, a document printed once. */
export function queryText(document: DocumentNode | string): string {
  if (typeof document === 'string') return document;
  let text = printed.get(document);
  if (text === undefined) {
    // The generated `graphql()` answers an unknown source with an empty object.
    if (!Array.isArray(document.definitions)) throw new Error('not a document: run `npm run codegen`');
    text = print(document);
    printed.set(document, text);
  }
  return text;
}
