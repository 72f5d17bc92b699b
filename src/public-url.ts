/**
 * Where the service is reached, for the links it mails to its own pages:
 * PUBLIC_URL, or else `http://{HOST}:{PORT}`, with the port it really listens on
 * once it does (PORT=0 takes a free one). A host that means every interface
 * (`0.0.0.0`, `::`) is no place to send a browser: `localhost` stands for it.
 */
export class PublicUrl {
  #port: number;

  constructor(
    private readonly configured: string | undefined,
    private readonly host: string,
    port: number,
  ) {
    this.#port = port;
  }

  /** The port the service listens on, now that it does. */
  listening(port: number): void {
    this.#port = port;
  }

  get(): string {
    if (this.configured) return this.configured;
    const host = ['0.0.0.0', '::', '[::]', ''].includes(this.host) ? 'localhost' : this.host;
    return `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${this.#port}`;
  }
}
