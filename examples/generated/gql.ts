/* eslint-disable */
import * as types from './graphql.ts';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment SessionTokens on AuthPayload {\n    accessToken\n    refreshToken\n    expiresIn\n    user { id email name }\n  }\n": typeof types.SessionTokensFragmentDoc,
    "\n  mutation SignUp($email: String!, $password: String!, $name: String) {\n    signUp(email: $email, password: $password, name: $name) { ...SessionTokens }\n  }\n": typeof types.SignUpDocument,
    "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) { ...SessionTokens }\n  }\n": typeof types.LoginDocument,
    "\n  mutation Refresh($refreshToken: String!) {\n    refresh(refreshToken: $refreshToken) { ...SessionTokens }\n  }\n": typeof types.RefreshDocument,
    "\n  mutation Logout($refreshToken: String) {\n    logout(refreshToken: $refreshToken)\n  }\n": typeof types.LogoutDocument,
    "\n  query Me {\n    me { id email name role }\n  }\n": typeof types.MeDocument,
    "\n  query Sessions {\n    sessions { id current }\n  }\n": typeof types.SessionsDocument,
    "\n  mutation VerifySecondFactor($challenge: String!, $code: String!) {\n    verifySecondFactor(challenge: $challenge, code: $code) { ...SessionTokens }\n  }\n": typeof types.VerifySecondFactorDocument,
};
const documents: Documents = {
    "\n  fragment SessionTokens on AuthPayload {\n    accessToken\n    refreshToken\n    expiresIn\n    user { id email name }\n  }\n": types.SessionTokensFragmentDoc,
    "\n  mutation SignUp($email: String!, $password: String!, $name: String) {\n    signUp(email: $email, password: $password, name: $name) { ...SessionTokens }\n  }\n": types.SignUpDocument,
    "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) { ...SessionTokens }\n  }\n": types.LoginDocument,
    "\n  mutation Refresh($refreshToken: String!) {\n    refresh(refreshToken: $refreshToken) { ...SessionTokens }\n  }\n": types.RefreshDocument,
    "\n  mutation Logout($refreshToken: String) {\n    logout(refreshToken: $refreshToken)\n  }\n": types.LogoutDocument,
    "\n  query Me {\n    me { id email name role }\n  }\n": types.MeDocument,
    "\n  query Sessions {\n    sessions { id current }\n  }\n": types.SessionsDocument,
    "\n  mutation VerifySecondFactor($challenge: String!, $code: String!) {\n    verifySecondFactor(challenge: $challenge, code: $code) { ...SessionTokens }\n  }\n": types.VerifySecondFactorDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SessionTokens on AuthPayload {\n    accessToken\n    refreshToken\n    expiresIn\n    user { id email name }\n  }\n"): (typeof documents)["\n  fragment SessionTokens on AuthPayload {\n    accessToken\n    refreshToken\n    expiresIn\n    user { id email name }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignUp($email: String!, $password: String!, $name: String) {\n    signUp(email: $email, password: $password, name: $name) { ...SessionTokens }\n  }\n"): (typeof documents)["\n  mutation SignUp($email: String!, $password: String!, $name: String) {\n    signUp(email: $email, password: $password, name: $name) { ...SessionTokens }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) { ...SessionTokens }\n  }\n"): (typeof documents)["\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) { ...SessionTokens }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Refresh($refreshToken: String!) {\n    refresh(refreshToken: $refreshToken) { ...SessionTokens }\n  }\n"): (typeof documents)["\n  mutation Refresh($refreshToken: String!) {\n    refresh(refreshToken: $refreshToken) { ...SessionTokens }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Logout($refreshToken: String) {\n    logout(refreshToken: $refreshToken)\n  }\n"): (typeof documents)["\n  mutation Logout($refreshToken: String) {\n    logout(refreshToken: $refreshToken)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me { id email name role }\n  }\n"): (typeof documents)["\n  query Me {\n    me { id email name role }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Sessions {\n    sessions { id current }\n  }\n"): (typeof documents)["\n  query Sessions {\n    sessions { id current }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation VerifySecondFactor($challenge: String!, $code: String!) {\n    verifySecondFactor(challenge: $challenge, code: $code) { ...SessionTokens }\n  }\n"): (typeof documents)["\n  mutation VerifySecondFactor($challenge: String!, $code: String!) {\n    verifySecondFactor(challenge: $challenge, code: $code) { ...SessionTokens }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;