import type { Plugin } from 'graphql-yoga';
import type { KeptMessage } from '../../mail/transports.ts';

export const DEV_MAIL_PATH = '/dev/mail';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** Plain text with its links made clickable. */
const linked = (text: string) =>
  escapeHtml(text).replace(/https?:\/\/[^\s<]+/g, (url) => `<a href="${url}">${url}</a>`);

function page(messages: KeptMessage[]): string {
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
export function useDevMailPage(kept: () => KeptMessage[]): Plugin {
  return {
    onRequest({ url, request, fetchAPI, endResponse }) {
      if (url.pathname !== DEV_MAIL_PATH || request.method !== 'GET') return;
      endResponse(
        new fetchAPI.Response(page(kept()), {
          headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
        }),
      );
    },
  };
}
