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
    "\n  fragment AuthPayloadFields on AuthPayload {\n    accessToken\n    tokenType\n    expiresIn\n    refreshToken\n    user { id email name role createdAt }\n  }\n": typeof types.AuthPayloadFieldsFragmentDoc,
    "\n  mutation SignUp($email: String!, $password: String!, $name: String) {\n    signUp(email: $email, password: $password, name: $name) { ...AuthPayloadFields }\n  }\n": typeof types.SignUpDocument,
    "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) { ...AuthPayloadFields }\n  }\n": typeof types.LoginDocument,
    "\n  query Me {\n    me { id email name role createdAt }\n  }\n": typeof types.MeDocument,
    "\n  mutation Refresh($refreshToken: String!) {\n    refresh(refreshToken: $refreshToken) { ...AuthPayloadFields }\n  }\n": typeof types.RefreshDocument,
    "\n  mutation Logout($refreshToken: String) {\n    logout(refreshToken: $refreshToken)\n  }\n": typeof types.LogoutDocument,
    "\n  mutation LogoutAll {\n    logoutAll\n  }\n": typeof types.LogoutAllDocument,
    "\n  query Sessions {\n    sessions { id createdAt lastUsedAt userAgent device current }\n  }\n": typeof types.SessionsDocument,
    "\n  mutation RevokeSession($id: ID!) {\n    revokeSession(id: $id)\n  }\n": typeof types.RevokeSessionDocument,
    "\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!, $code: String) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword, code: $code) { ...AuthPayloadFields }\n  }\n": typeof types.ChangePasswordDocument,
    "\n  mutation UpdateMe($name: String) {\n    updateMe(name: $name) { id email name role createdAt }\n  }\n": typeof types.UpdateMeDocument,
    "\n  mutation DeleteMe($password: String!, $code: String) {\n    deleteMe(password: $password, code: $code)\n  }\n": typeof types.DeleteMeDocument,
    "\n  mutation SetRole($userId: ID!, $role: Role!) {\n    setRole(userId: $userId, role: $role) { id email name role createdAt }\n  }\n": typeof types.SetRoleDocument,
    "\n  mutation RevokeUserSessions($userId: ID!) {\n    revokeUserSessions(userId: $userId)\n  }\n": typeof types.RevokeUserSessionsDocument,
    "\n  query AuthEvents($first: Int, $after: String, $userId: ID) {\n    authEvents(first: $first, after: $after, userId: $userId) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { id type userId actorId sessionId ip userAgent detail createdAt } }\n    }\n  }\n": typeof types.AuthEventsDocument,
    "\n  mutation RequestPasswordReset($email: String!) {\n    requestPasswordReset(email: $email)\n  }\n": typeof types.RequestPasswordResetDocument,
    "\n  mutation ResetPassword($token: String!, $email: String, $newPassword: String!, $code: String) {\n    resetPassword(token: $token, email: $email, newPassword: $newPassword, code: $code)\n  }\n": typeof types.ResetPasswordDocument,
    "\n  mutation SendVerificationEmail {\n    sendVerificationEmail\n  }\n": typeof types.SendVerificationEmailDocument,
    "\n  mutation VerifyEmail($token: String!, $email: String) {\n    verifyEmail(token: $token, email: $email)\n  }\n": typeof types.VerifyEmailDocument,
    "\n  mutation RequestEmailChange($newEmail: String!, $password: String!, $code: String) {\n    requestEmailChange(newEmail: $newEmail, password: $password, code: $code)\n  }\n": typeof types.RequestEmailChangeDocument,
    "\n  mutation ConfirmEmailChange($token: String!, $email: String) {\n    confirmEmailChange(token: $token, email: $email) { id email emailVerified }\n  }\n": typeof types.ConfirmEmailChangeDocument,
    "\n  mutation SecureAccount($token: String!, $email: String, $password: String) {\n    secureAccount(token: $token, email: $email, password: $password)\n  }\n": typeof types.SecureAccountDocument,
    "\n  mutation SetUserDisabled($userId: ID!, $disabled: Boolean!) {\n    setUserDisabled(userId: $userId, disabled: $disabled) { id email disabled }\n  }\n": typeof types.SetUserDisabledDocument,
    "\n  query MeVerified {\n    me { id email emailVerified }\n  }\n": typeof types.MeVerifiedDocument,
    "\n  query UsersWithDisabled($first: Int) {\n    users(first: $first) { edges { node { id email disabled } } }\n  }\n": typeof types.UsersWithDisabledDocument,
    "\n  mutation SetUpTotp($password: String!) {\n    setUpTotp(password: $password) { secret otpauthUri }\n  }\n": typeof types.SetUpTotpDocument,
    "\n  mutation ConfirmTotp($code: String!) {\n    confirmTotp(code: $code)\n  }\n": typeof types.ConfirmTotpDocument,
    "\n  mutation DisableTotp($password: String!, $code: String!) {\n    disableTotp(password: $password, code: $code)\n  }\n": typeof types.DisableTotpDocument,
    "\n  mutation RegenerateRecoveryCodes($code: String!) {\n    regenerateRecoveryCodes(code: $code)\n  }\n": typeof types.RegenerateRecoveryCodesDocument,
    "\n  mutation VerifySecondFactor($challenge: String!, $code: String!) {\n    verifySecondFactor(challenge: $challenge, code: $code) { ...AuthPayloadFields }\n  }\n": typeof types.VerifySecondFactorDocument,
    "\n  mutation ResetSecondFactor($userId: ID!) {\n    resetSecondFactor(userId: $userId) { id secondFactor }\n  }\n": typeof types.ResetSecondFactorDocument,
    "\n  query MeSecondFactor {\n    me { id secondFactor }\n  }\n": typeof types.MeSecondFactorDocument,
    "\n  query UsersPage($first: Int, $after: String) {\n    users(first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { id email name role createdAt } }\n    }\n  }\n": typeof types.UsersPageDocument,
};
const documents: Documents = {
    "\n  fragment AuthPayloadFields on AuthPayload {\n    accessToken\n    tokenType\n    expiresIn\n    refreshToken\n    user { id email name role createdAt }\n  }\n": types.AuthPayloadFieldsFragmentDoc,
    "\n  mutation SignUp($email: String!, $password: String!, $name: String) {\n    signUp(email: $email, password: $password, name: $name) { ...AuthPayloadFields }\n  }\n": types.SignUpDocument,
    "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) { ...AuthPayloadFields }\n  }\n": types.LoginDocument,
    "\n  query Me {\n    me { id email name role createdAt }\n  }\n": types.MeDocument,
    "\n  mutation Refresh($refreshToken: String!) {\n    refresh(refreshToken: $refreshToken) { ...AuthPayloadFields }\n  }\n": types.RefreshDocument,
    "\n  mutation Logout($refreshToken: String) {\n    logout(refreshToken: $refreshToken)\n  }\n": types.LogoutDocument,
    "\n  mutation LogoutAll {\n    logoutAll\n  }\n": types.LogoutAllDocument,
    "\n  query Sessions {\n    sessions { id createdAt lastUsedAt userAgent device current }\n  }\n": types.SessionsDocument,
    "\n  mutation RevokeSession($id: ID!) {\n    revokeSession(id: $id)\n  }\n": types.RevokeSessionDocument,
    "\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!, $code: String) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword, code: $code) { ...AuthPayloadFields }\n  }\n": types.ChangePasswordDocument,
    "\n  mutation UpdateMe($name: String) {\n    updateMe(name: $name) { id email name role createdAt }\n  }\n": types.UpdateMeDocument,
    "\n  mutation DeleteMe($password: String!, $code: String) {\n    deleteMe(password: $password, code: $code)\n  }\n": types.DeleteMeDocument,
    "\n  mutation SetRole($userId: ID!, $role: Role!) {\n    setRole(userId: $userId, role: $role) { id email name role createdAt }\n  }\n": types.SetRoleDocument,
    "\n  mutation RevokeUserSessions($userId: ID!) {\n    revokeUserSessions(userId: $userId)\n  }\n": types.RevokeUserSessionsDocument,
    "\n  query AuthEvents($first: Int, $after: String, $userId: ID) {\n    authEvents(first: $first, after: $after, userId: $userId) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { id type userId actorId sessionId ip userAgent detail createdAt } }\n    }\n  }\n": types.AuthEventsDocument,
    "\n  mutation RequestPasswordReset($email: String!) {\n    requestPasswordReset(email: $email)\n  }\n": types.RequestPasswordResetDocument,
    "\n  mutation ResetPassword($token: String!, $email: String, $newPassword: String!, $code: String) {\n    resetPassword(token: $token, email: $email, newPassword: $newPassword, code: $code)\n  }\n": types.ResetPasswordDocument,
    "\n  mutation SendVerificationEmail {\n    sendVerificationEmail\n  }\n": types.SendVerificationEmailDocument,
    "\n  mutation VerifyEmail($token: String!, $email: String) {\n    verifyEmail(token: $token, email: $email)\n  }\n": types.VerifyEmailDocument,
    "\n  mutation RequestEmailChange($newEmail: String!, $password: String!, $code: String) {\n    requestEmailChange(newEmail: $newEmail, password: $password, code: $code)\n  }\n": types.RequestEmailChangeDocument,
    "\n  mutation ConfirmEmailChange($token: String!, $email: String) {\n    confirmEmailChange(token: $token, email: $email) { id email emailVerified }\n  }\n": types.ConfirmEmailChangeDocument,
    "\n  mutation SecureAccount($token: String!, $email: String, $password: String) {\n    secureAccount(token: $token, email: $email, password: $password)\n  }\n": types.SecureAccountDocument,
    "\n  mutation SetUserDisabled($userId: ID!, $disabled: Boolean!) {\n    setUserDisabled(userId: $userId, disabled: $disabled) { id email disabled }\n  }\n": types.SetUserDisabledDocument,
    "\n  query MeVerified {\n    me { id email emailVerified }\n  }\n": types.MeVerifiedDocument,
    "\n  query UsersWithDisabled($first: Int) {\n    users(first: $first) { edges { node { id email disabled } } }\n  }\n": types.UsersWithDisabledDocument,
    "\n  mutation SetUpTotp($password: String!) {\n    setUpTotp(password: $password) { secret otpauthUri }\n  }\n": types.SetUpTotpDocument,
    "\n  mutation ConfirmTotp($code: String!) {\n    confirmTotp(code: $code)\n  }\n": types.ConfirmTotpDocument,
    "\n  mutation DisableTotp($password: String!, $code: String!) {\n    disableTotp(password: $password, code: $code)\n  }\n": types.DisableTotpDocument,
    "\n  mutation RegenerateRecoveryCodes($code: String!) {\n    regenerateRecoveryCodes(code: $code)\n  }\n": types.RegenerateRecoveryCodesDocument,
    "\n  mutation VerifySecondFactor($challenge: String!, $code: String!) {\n    verifySecondFactor(challenge: $challenge, code: $code) { ...AuthPayloadFields }\n  }\n": types.VerifySecondFactorDocument,
    "\n  mutation ResetSecondFactor($userId: ID!) {\n    resetSecondFactor(userId: $userId) { id secondFactor }\n  }\n": types.ResetSecondFactorDocument,
    "\n  query MeSecondFactor {\n    me { id secondFactor }\n  }\n": types.MeSecondFactorDocument,
    "\n  query UsersPage($first: Int, $after: String) {\n    users(first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { id email name role createdAt } }\n    }\n  }\n": types.UsersPageDocument,
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
export function graphql(source: "\n  fragment AuthPayloadFields on AuthPayload {\n    accessToken\n    tokenType\n    expiresIn\n    refreshToken\n    user { id email name role createdAt }\n  }\n"): (typeof documents)["\n  fragment AuthPayloadFields on AuthPayload {\n    accessToken\n    tokenType\n    expiresIn\n    refreshToken\n    user { id email name role createdAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignUp($email: String!, $password: String!, $name: String) {\n    signUp(email: $email, password: $password, name: $name) { ...AuthPayloadFields }\n  }\n"): (typeof documents)["\n  mutation SignUp($email: String!, $password: String!, $name: String) {\n    signUp(email: $email, password: $password, name: $name) { ...AuthPayloadFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) { ...AuthPayloadFields }\n  }\n"): (typeof documents)["\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) { ...AuthPayloadFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me { id email name role createdAt }\n  }\n"): (typeof documents)["\n  query Me {\n    me { id email name role createdAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Refresh($refreshToken: String!) {\n    refresh(refreshToken: $refreshToken) { ...AuthPayloadFields }\n  }\n"): (typeof documents)["\n  mutation Refresh($refreshToken: String!) {\n    refresh(refreshToken: $refreshToken) { ...AuthPayloadFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Logout($refreshToken: String) {\n    logout(refreshToken: $refreshToken)\n  }\n"): (typeof documents)["\n  mutation Logout($refreshToken: String) {\n    logout(refreshToken: $refreshToken)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LogoutAll {\n    logoutAll\n  }\n"): (typeof documents)["\n  mutation LogoutAll {\n    logoutAll\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Sessions {\n    sessions { id createdAt lastUsedAt userAgent device current }\n  }\n"): (typeof documents)["\n  query Sessions {\n    sessions { id createdAt lastUsedAt userAgent device current }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeSession($id: ID!) {\n    revokeSession(id: $id)\n  }\n"): (typeof documents)["\n  mutation RevokeSession($id: ID!) {\n    revokeSession(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!, $code: String) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword, code: $code) { ...AuthPayloadFields }\n  }\n"): (typeof documents)["\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!, $code: String) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword, code: $code) { ...AuthPayloadFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateMe($name: String) {\n    updateMe(name: $name) { id email name role createdAt }\n  }\n"): (typeof documents)["\n  mutation UpdateMe($name: String) {\n    updateMe(name: $name) { id email name role createdAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteMe($password: String!, $code: String) {\n    deleteMe(password: $password, code: $code)\n  }\n"): (typeof documents)["\n  mutation DeleteMe($password: String!, $code: String) {\n    deleteMe(password: $password, code: $code)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetRole($userId: ID!, $role: Role!) {\n    setRole(userId: $userId, role: $role) { id email name role createdAt }\n  }\n"): (typeof documents)["\n  mutation SetRole($userId: ID!, $role: Role!) {\n    setRole(userId: $userId, role: $role) { id email name role createdAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeUserSessions($userId: ID!) {\n    revokeUserSessions(userId: $userId)\n  }\n"): (typeof documents)["\n  mutation RevokeUserSessions($userId: ID!) {\n    revokeUserSessions(userId: $userId)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuthEvents($first: Int, $after: String, $userId: ID) {\n    authEvents(first: $first, after: $after, userId: $userId) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { id type userId actorId sessionId ip userAgent detail createdAt } }\n    }\n  }\n"): (typeof documents)["\n  query AuthEvents($first: Int, $after: String, $userId: ID) {\n    authEvents(first: $first, after: $after, userId: $userId) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { id type userId actorId sessionId ip userAgent detail createdAt } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RequestPasswordReset($email: String!) {\n    requestPasswordReset(email: $email)\n  }\n"): (typeof documents)["\n  mutation RequestPasswordReset($email: String!) {\n    requestPasswordReset(email: $email)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResetPassword($token: String!, $email: String, $newPassword: String!, $code: String) {\n    resetPassword(token: $token, email: $email, newPassword: $newPassword, code: $code)\n  }\n"): (typeof documents)["\n  mutation ResetPassword($token: String!, $email: String, $newPassword: String!, $code: String) {\n    resetPassword(token: $token, email: $email, newPassword: $newPassword, code: $code)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendVerificationEmail {\n    sendVerificationEmail\n  }\n"): (typeof documents)["\n  mutation SendVerificationEmail {\n    sendVerificationEmail\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation VerifyEmail($token: String!, $email: String) {\n    verifyEmail(token: $token, email: $email)\n  }\n"): (typeof documents)["\n  mutation VerifyEmail($token: String!, $email: String) {\n    verifyEmail(token: $token, email: $email)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RequestEmailChange($newEmail: String!, $password: String!, $code: String) {\n    requestEmailChange(newEmail: $newEmail, password: $password, code: $code)\n  }\n"): (typeof documents)["\n  mutation RequestEmailChange($newEmail: String!, $password: String!, $code: String) {\n    requestEmailChange(newEmail: $newEmail, password: $password, code: $code)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConfirmEmailChange($token: String!, $email: String) {\n    confirmEmailChange(token: $token, email: $email) { id email emailVerified }\n  }\n"): (typeof documents)["\n  mutation ConfirmEmailChange($token: String!, $email: String) {\n    confirmEmailChange(token: $token, email: $email) { id email emailVerified }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SecureAccount($token: String!, $email: String, $password: String) {\n    secureAccount(token: $token, email: $email, password: $password)\n  }\n"): (typeof documents)["\n  mutation SecureAccount($token: String!, $email: String, $password: String) {\n    secureAccount(token: $token, email: $email, password: $password)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetUserDisabled($userId: ID!, $disabled: Boolean!) {\n    setUserDisabled(userId: $userId, disabled: $disabled) { id email disabled }\n  }\n"): (typeof documents)["\n  mutation SetUserDisabled($userId: ID!, $disabled: Boolean!) {\n    setUserDisabled(userId: $userId, disabled: $disabled) { id email disabled }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MeVerified {\n    me { id email emailVerified }\n  }\n"): (typeof documents)["\n  query MeVerified {\n    me { id email emailVerified }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UsersWithDisabled($first: Int) {\n    users(first: $first) { edges { node { id email disabled } } }\n  }\n"): (typeof documents)["\n  query UsersWithDisabled($first: Int) {\n    users(first: $first) { edges { node { id email disabled } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetUpTotp($password: String!) {\n    setUpTotp(password: $password) { secret otpauthUri }\n  }\n"): (typeof documents)["\n  mutation SetUpTotp($password: String!) {\n    setUpTotp(password: $password) { secret otpauthUri }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConfirmTotp($code: String!) {\n    confirmTotp(code: $code)\n  }\n"): (typeof documents)["\n  mutation ConfirmTotp($code: String!) {\n    confirmTotp(code: $code)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DisableTotp($password: String!, $code: String!) {\n    disableTotp(password: $password, code: $code)\n  }\n"): (typeof documents)["\n  mutation DisableTotp($password: String!, $code: String!) {\n    disableTotp(password: $password, code: $code)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RegenerateRecoveryCodes($code: String!) {\n    regenerateRecoveryCodes(code: $code)\n  }\n"): (typeof documents)["\n  mutation RegenerateRecoveryCodes($code: String!) {\n    regenerateRecoveryCodes(code: $code)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation VerifySecondFactor($challenge: String!, $code: String!) {\n    verifySecondFactor(challenge: $challenge, code: $code) { ...AuthPayloadFields }\n  }\n"): (typeof documents)["\n  mutation VerifySecondFactor($challenge: String!, $code: String!) {\n    verifySecondFactor(challenge: $challenge, code: $code) { ...AuthPayloadFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResetSecondFactor($userId: ID!) {\n    resetSecondFactor(userId: $userId) { id secondFactor }\n  }\n"): (typeof documents)["\n  mutation ResetSecondFactor($userId: ID!) {\n    resetSecondFactor(userId: $userId) { id secondFactor }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MeSecondFactor {\n    me { id secondFactor }\n  }\n"): (typeof documents)["\n  query MeSecondFactor {\n    me { id secondFactor }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UsersPage($first: Int, $after: String) {\n    users(first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { id email name role createdAt } }\n    }\n  }\n"): (typeof documents)["\n  query UsersPage($first: Int, $after: String) {\n    users(first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { id email name role createdAt } }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;