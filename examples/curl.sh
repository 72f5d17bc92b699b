#!/usr/bin/env bash
# Tollgate with curl alone: signUp → login → me → refresh → logout. Each step prints
# the server's answer; the first answer carrying `errors` stops the script (exit 1).
#   TOLLGATE_URL=http://localhost:4000/graphql TOLLGATE_EMAIL=ada@example.com examples/curl.sh
# TOLLGATE_EMAIL and TOLLGATE_PASSWORD are put into JSON as they are: no `"` or `\`.
set -eu

url=${TOLLGATE_URL:-http://localhost:4000/graphql}
email=${TOLLGATE_EMAIL:-curl-$(date +%s)-$$@example.com}
password=${TOLLGATE_PASSWORD:-violet-harbour-$(date +%s)-$$}

# shown STEP: prints the answer left in $answer; one with errors stops the script.
shown() {
  printf '%s\n' "$answer"
  case $answer in
    *'"errors"'*) printf '%s failed\n' "$1" >&2; exit 1 ;;
  esac
}

# call STEP QUERY VARIABLES [ACCESS_TOKEN]: sends one operation as a JSON POST.
call() {
  printf '==> %s\n' "$1"
  answer=$(curl -sS "$url" -H 'content-type: application/json' ${4:+-H "authorization: Bearer $4"} \
    --data "{\"query\":\"$2\",\"variables\":$3}")
  shown "$1"
}

# query STEP QUERY [ACCESS_TOKEN]: sends a query as GET, the document in the URL (no mutations over GET).
query() {
  printf '==> %s\n' "$1"
  answer=$(curl -sS -G "$url" --data-urlencode "query=$2" ${3:+-H "authorization: Bearer $3"})
  shown "$1"
}

# field NAME: the string value of "NAME" in $answer (tokens hold no quotes).
field() {
  printf '%s' "$answer" | sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"
}

call signUp 'mutation SignUp($email: String!, $password: String!) { signUp(email: $email, password: $password) { user { id email } } }' \
  "{\"email\":\"$email\",\"password\":\"$password\"}"

call login 'mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken refreshToken expiresIn } }' \
  "{\"email\":\"$email\",\"password\":\"$password\"}"
access=$(field accessToken)
refresh=$(field refreshToken)

query me '{ me { id email role createdAt } }' "$access"

# The refresh token is single use: keep the new pair.
call refresh 'mutation Refresh($refreshToken: String!) { refresh(refreshToken: $refreshToken) { accessToken refreshToken expiresIn } }' \
  "{\"refreshToken\":\"$refresh\"}"
access=$(field accessToken)
refresh=$(field refreshToken)

call logout 'mutation Logout($refreshToken: String) { logout(refreshToken: $refreshToken) }' \
  "{\"refreshToken\":\"$refresh\"}" "$access"
echo 'done: signed up, logged in, read me, refreshed and logged out'
