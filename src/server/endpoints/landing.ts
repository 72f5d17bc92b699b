import type { Plugin } from 'graphql-yoga';

const HTML = 'text/html; charset=utf-8';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/**
 * `GET /` says what runs here and where to go (rather than an empty 404), and a
 * browser's `GET /graphql` with GraphiQL off (production) says why it gets no
 * page, rather than an empty 406.
 */
export function useLandingPage(options: { graphqlEndpoint: string; graphiql: boolean; accountPages: boolean }): Plugin {
  const { graphqlEndpoint } = options;
  const lines = [
    'Tollgate: a GraphQL authentication API.',
    `GraphQL: POST ${graphqlEndpoint} (or GET with ?query=…).${options.graphiql ? ` In a browser, ${graphqlEndpoint} is GraphiQL.` : ''}`,
    ...(options.accountPages ? ['Forgot a password? /account/forgot-password'] : []),
    'Health: /health (the process), /ready (the database).',
  ];
  const home = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tollgate</title></head>
<body style="font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem">
${lines.map((line) => `<p>${escapeHtml(line).replace(/(\/[a-z/-]+)/g, (path) => (path.includes('…') ? path : `<a href="${path}">${path}</a>`))}</p>`).join('\n')}
</body></html>
`;
  const noGraphiQL =
    'GraphiQL is off here (production): GRAPHIQL=1 turns it on. Send GraphQL requests as POST, or as GET with ?query=…\n';
  return {
    onRequest({ url, request, fetchAPI, endResponse }) {
      if (request.method !== 'GET') return;
      const wantsHtml = request.headers.get('accept')?.includes('text/html') ?? false;
      if (url.pathname === '/') {
        endResponse(
          new fetchAPI.Response(wantsHtml ? home : `${lines.join('\n')}\n`, {
            headers: { 'content-type': wantsHtml ? HTML : 'text/plain; charset=utf-8' },
          }),
        );
      } else if (url.pathname === graphqlEndpoint && wantsHtml && !options.graphiql && !url.searchParams.has('query')) {
        endResponse(
          new fetchAPI.Response(noGraphiQL, { status: 406, headers: { 'content-type': 'text/plain; charset=utf-8' } }),
        );
      }
    },
  };
}
