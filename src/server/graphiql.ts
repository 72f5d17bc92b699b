/** What GraphiQL opens with: the whole flow, ready to run top to bottom. */
export const GRAPHIQL_DEFAULT_DOCUMENT = `# Welcome to Tollgate.
#
# 1. Run "SignUp" (or "Login" for an existing account).
# 2. Copy the accessToken from the result into the Headers pane below:
#      {"Authorization": "Bearer <accessToken>"}
# 3. Run "Me".

mutation SignUp {
  signUp(email: "ada@example.com", password: "analytical-engine-1843", name: "Ada") {
    accessToken
    expiresIn
    refreshToken
    user { id email name role createdAt }
  }
}

mutation Login {
  login(email: "ada@example.com", password: "analytical-engine-1843") {
    accessToken
    expiresIn
    refreshToken
  }
}

query Me {
  me { id email name role createdAt }
}
`;

export const GRAPHIQL_DEFAULT_HEADERS = JSON.stringify({ Authorization: 'Bearer <accessToken>' }, null, 2);
