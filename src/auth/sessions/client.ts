/** Who is asking, as far as the request tells: its address (behind trusted proxies) and its user agent. */
export interface ClientInfo {
  ip?: string | undefined;
  userAgent?: string | undefined;
}

/** The longest user agent kept (on a session, a challenge, an audit event): the rest is the sender's noise. */
export const USER_AGENT_MAX_LENGTH = 512;

/** The client's user agent as a row stores it: cut to USER_AGENT_MAX_LENGTH, or null. */
export const storedUserAgent = (client: ClientInfo) => client.userAgent?.slice(0, USER_AGENT_MAX_LENGTH) ?? null;

/** Requests without a known address (in-process calls) share one rate-limit key. */
export const clientKey = (client: ClientInfo) => client.ip ?? 'unknown';
