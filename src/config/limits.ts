/** A count per duration, as the RATE_LIMIT_* settings give it (`10/15m`). */
export interface Limit {
  points: number;
  durationSeconds: number;
}

export interface RateLimitSettings {
  /** Failed logins for one email from one client IP. */
  loginFailuresPerEmailAndIp: Limit;
  /** Failed logins for one email from all IPs: slows a distributed attack on one account. */
  loginFailuresPerEmail: Limit;
  /** Login attempts from one client IP. */
  loginAttemptsPerIp: Limit;
  /** Failed logins from one client IP, whatever the email: password spraying across many accounts. */
  loginFailuresPerIp: Limit;
  signUpsPerIp: Limit;
  refreshesPerIp: Limit;
  /** Mails asked for (password resets, verification, email changes) from one client IP. */
  mailsPerIp: Limit;
  /** Mails sent to one address: past it, requests still succeed and no mail goes out. */
  mailsPerAddress: Limit;
  /** Wrong second-factor codes for one account, across challenges: a new login cannot buy more guesses. */
  secondFactorFailuresPerAccount: Limit;
  /** New sign-in notices mailed to one account: a thief signing in again and again floods nobody's mailbox. */
  newSignInNoticesPerAccount: Limit;
}
