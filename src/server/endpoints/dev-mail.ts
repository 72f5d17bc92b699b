import type { Plugin } from 'graphql-yoga';
import { ACCOUNT_PAGES_PATH, type MailLinks } from '../../config/mail-links.ts';
import type { KeptMessage } from '../../mail/transports.ts';

export const DEV_MAIL_PATH = '/dev/mail';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** Plain text with its links made clickable. */
const linked = (text: string) =>
  escapeHtml(text).replace(/https?:\/\/[^\s<]+/g, (url) => `<a href="${url}">${url}</a>`);

/** Where the mailed links lead, in a sentence: the service's own pages, or the app's. */
function linksLeadTo(links: MailLinks, publicUrl: string): string {
  const onService = links.passwordReset.startsWith('/');
  return onService
    ? `Their links open the service's own pages at ${publicUrl}${ACCOUNT_PAGES_PATH}/… (APP_URL is unset; ACCOUNT_PAGES serves them).`
    : `Their links open your app, at ${new URL(links.passwordReset).origin} (APP_URL): it must have the pages.`;
}

function page(messages: KeptMessage[], leadTo: string): string {
  const items = messages.map(
    (message) => `<article>
  <h2>${escapeHtml(message.subject)}</h2>
  <p class="meta">To <b>${escapeHtml(message.to)}</b> · from ${escapeHtml(message.from)} · <time>${message.sentAt.toISOString()}</time></p>
  <pre>${linked(message.text)}</pre>
</article>`,
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Mail sent (development)</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; max-width: 50rem; margin: 2rem auto; padding: 0 1rem; color: #1b2532 }
article { border: 1px solid #ccd; border-radius: 6px; padding: 0 1rem; margin: 1rem 0 }
.meta { color: #555; font-size: 90% }
pre { white-space: pre-wrap; font: inherit }
</style>
</head>
<body>
<h1>Mail sent (development)</h1>
<p>The last messages of <code>EMAIL_TRANSPORT=log</code>, newest first. This page does not exist in production.</p>
<p>${escapeHtml(leadTo)}</p>
${items.length > 0 ? items.join('\n') : '<p>No mail yet.</p>'}
</body>
</html>
`;
}

/**
 * Development only (EMAIL_TRANSPORT=log, which production refuses): the last
 * messages on a page, so that a person trying the flows in a browser can follow
 * a reset or verification link without leaving it.
 */
export function useDevMailPage(kept: () => KeptMessage[], links: MailLinks, publicUrl: () => string): Plugin {
  return {
    onRequest({ url, request, fetchAPI, endResponse }) {
      if (url.pathname !== DEV_MAIL_PATH || request.method !== 'GET') return;
      endResponse(
        new fetchAPI.Response(page(kept(), linksLeadTo(links, publicUrl())), {
          headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
        }),
      );
    },
  };
}
