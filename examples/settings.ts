import { randomUUID } from 'node:crypto';

/** What the example programs read from the environment, with fresh credentials by default. */
export function exampleSettings(client: string) {
  const id = randomUUID().slice(0, 8);
  return {
    url: process.env.TOLLGATE_URL ?? 'http://localhost:4000/graphql',
    email: process.env.TOLLGATE_EMAIL ?? `${client}-example-${id}@example.com`,
    password: process.env.TOLLGATE_PASSWORD ?? `lantern-${randomUUID()}`,
  };
}

/** How long to wait for an access token of `expiresIn` seconds, received just now, to expire. */
export const expiryDelayMs = (expiresIn: number) => expiresIn * 1000 + 250;
