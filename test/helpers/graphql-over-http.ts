import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { queryText } from './documents.ts';
import type { GraphQLResponse } from './test-app.ts';

export interface SendOptions {
  /** Sent as `Authorization: Bearer …`. */
  token?: string;
  /** Sent as X-Forwarded-For (believed only by a service with TRUST_PROXY). */
  forwardedFor?: string;
  /** The request is aborted (and the promise rejects) after this long. */
  timeoutMs?: number;
}

export interface NetworkResponse<TData> extends GraphQLResponse<TData> {
  /** The body as sent, to look for what must not be in it. */
  text: string;
  elapsedMs: number;
}

/** POSTs one operation to a service over the network; a body that is not JSON leaves `body` empty. */
export async function sendGraphQL<TData, TVariables>(
  url: string,
  document: TypedDocumentNode<TData, TVariables>,
  variables: NoInfer<TVariables>,
  options: SendOptions = {},
): Promise<NetworkResponse<TData>> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.forwardedFor !== undefined) headers['x-forwarded-for'] = options.forwardedFor;
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query: queryText(document), variables }),
    ...(options.timeoutMs !== undefined ? { signal: AbortSignal.timeout(options.timeoutMs) } : {}),
  });
  const text = await response.text();
  const elapsedMs = performance.now() - started;
  let body: GraphQLResponse<TData>['body'] = {};
  try {
    body = JSON.parse(text) as GraphQLResponse<TData>['body'];
  } catch {
    // Left empty: the caller sees `text` and the status.
  }
  return { status: response.status, headers: response.headers, body, text, elapsedMs };
}
