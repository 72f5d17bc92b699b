import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Plugin } from 'graphql-yoga';
import { ACCOUNT_PAGES_PATH } from '../../../config/mail-links.ts';
import { ACCOUNT_PAGE_NAMES, ACCOUNT_PAGE_STYLE, type AccountPageName, accountPage } from './pages.ts';

const cspHash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

let script: { text: string; hash: string } | undefined;
/** The pages' script, read on the first visit: a service whose pages nobody opens never holds it. */
function pageScript() {
  if (!script) {
    const text = readFileSync(new URL('./account-page.js', import.meta.url), 'utf8');
    script = { text, hash: cspHash(text) };
  }
  return script;
}

/**
 * The service's own pages for the links it mails, at /account/<page> (ACCOUNT_PAGES).
 * What a browser may do on them is as little as they need: their own inline
 * script and style (by hash), requests to this service only, no frames, no
 * forms sent elsewhere, and no Referer: a page holding a token in its address
 * leaks it to nobody.
 */
export function useAccountPages(options: { appName: string; graphqlEndpoint: string }): Plugin {
  const names = new Set<string>(ACCOUNT_PAGE_NAMES);
  const styleHash = cspHash(ACCOUNT_PAGE_STYLE);
  return {
    onRequest({ url, request, fetchAPI, endResponse }) {
      if (request.method !== 'GET' || !url.pathname.startsWith(`${ACCOUNT_PAGES_PATH}/`)) return;
      const name = url.pathname.slice(ACCOUNT_PAGES_PATH.length + 1);
      if (!names.has(name)) {
        endResponse(
          new fetchAPI.Response('No such page.\n', { status: 404, headers: { 'content-type': 'text/plain' } }),
        );
        return;
      }
      const { text, hash } = pageScript();
      const html = accountPage(name as AccountPageName, {
        appName: options.appName,
        endpoint: options.graphqlEndpoint,
        withToken: url.searchParams.has('token'),
        script: text,
      });
      endResponse(
        new fetchAPI.Response(html, {
          headers: {
            'content-type': 'text/html; charset=utf-8',
            'cache-control': 'no-store',
            'referrer-policy': 'no-referrer',
            'x-content-type-options': 'nosniff',
            'content-security-policy': [
              "default-src 'none'",
              `script-src ${hash}`,
              `style-src ${styleHash}`,
              "connect-src 'self'",
              "form-action 'none'",
              "frame-ancestors 'none'",
              "base-uri 'none'",
            ].join('; '),
          },
        }),
      );
    },
  };
}
