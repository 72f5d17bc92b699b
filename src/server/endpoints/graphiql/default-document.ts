/** What GraphiQL opens with: the whole flow, ready to run top to bottom. */
export const GRAPHIQL_DEFAULT_DOCUMENT = `# Welcome to Tollgate.
#
# 1. Run "SignUp" (or "Login" for an existing account). The page keeps the
#    access token it returns: see the Headers pane below, and the bar at the
#    bottom right to forget it or sign out.
# 2. Run "Me".
#
# When the access token expires, the page refreshes it once for you.
# Forgot the password? Open /account/forgot-password on this service (outside
# production); the mail it sends is at /dev/mail, its link opens a page here too.

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
    user { id email }
  }
}

query Me {
  me { id email name role createdAt }
}
`;

/** The Headers pane at first: empty, until a sign-up or login puts the token in. */
export const GRAPHIQL_DEFAULT_HEADERS = '{}';
