/** The two tokens Tollgate hands out; `refresh` retires the refresh token and returns a new pair. */
export interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

/**
 * Where a client keeps its tokens (memory here; a browser app might mirror them to
 * storage). It also makes sure that requests failing together with one expired
 * access token cause one `refresh`, not one each: refresh tokens are single use.
 */
export class TokenStore {
  #pair: TokenPair | null = null;
  #refreshing: Promise<void> | null = null;

  constructor(pair?: TokenPair) {
    if (pair) this.set(pair);
  }

  get accessToken(): string | undefined {
    return this.#pair?.accessToken;
  }

  get refreshToken(): string | undefined {
    return this.#pair?.refreshToken;
  }

  set(pair: TokenPair): void {
    this.#pair = { accessToken: pair.accessToken, refreshToken: pair.refreshToken };
  }

  clear(): void {
    this.#pair = null;
  }

  /**
   * Replaces the pair whose access token was `expired` by calling `refresh` with its
   * refresh token, once: callers that come while it runs wait for the same call, and
   * callers that come after it (their token is no longer the stored one) do nothing.
   * Resolves true when a pair is stored to retry with. A failed refresh clears the
   * store (the session is over) and rejects with refresh's error.
   */
  async refreshOnce(
    expired: string | undefined,
    refresh: (refreshToken: string) => Promise<TokenPair>,
  ): Promise<boolean> {
    if (!this.#refreshing && this.#pair && this.#pair.accessToken === expired) {
      this.#refreshing = refresh(this.#pair.refreshToken)
        .then(
          (pair) => this.set(pair),
          (error: unknown) => {
            this.clear();
            throw error;
          },
        )
        .finally(() => {
          this.#refreshing = null;
        });
    }
    await this.#refreshing;
    return this.#pair !== null;
  }
}
