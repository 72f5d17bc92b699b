import type { Plugin } from 'graphql-yoga';
import { ErrorCode } from '../../errors.ts';

interface ErrorLike {
  extensions?: { code?: unknown; retryAfter?: unknown };
}

/**
 * Yoga takes an error's HTTP status and headers from a single operation only. In
 * a batch, a rate-limited operation must still turn the response into a 429
 * with Retry-After (the longest wait asked for), or the client is never told.
 */
export function useBatchRateLimitStatus(): Plugin {
  return {
    onResultProcess({ result, resultProcessor, setResultProcessor, acceptableMediaTypes }) {
      if (!Array.isArray(result) || !resultProcessor) return;
      const waits = result.flatMap((entry) =>
        ((('errors' in entry && entry.errors) || []) as readonly ErrorLike[])
          .filter((error) => error.extensions?.code === ErrorCode.RATE_LIMITED)
          .map((error) => Number(error.extensions?.retryAfter) || 1),
      );
      if (waits.length === 0) return;
      setResultProcessor(async (processed, fetchAPI, mediaType) => {
        const response = await resultProcessor(processed, fetchAPI, mediaType);
        const headers = new fetchAPI.Headers(response.headers);
        headers.set('retry-after', String(Math.max(...waits)));
        return new fetchAPI.Response(response.body, { status: 429, headers });
      }, acceptableMediaTypes[0] ?? 'application/json');
    },
  };
}
