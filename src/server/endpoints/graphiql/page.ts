import type { GraphiQLOptions } from 'graphql-yoga';
import type { GraphiQLAssets } from './assets.ts';

/** JSON that is safe inside a <script> element: no `</script>` or `<!--` can end or bend it. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The GraphiQL page: a few kilobytes that name its scripts, styles, workers and
 * icon, each a separate file the browser keeps (see assets.ts).
 */
export function graphiqlPage(assets: GraphiQLAssets, options: GraphiQLOptions & { endpoint?: string }): string {
  const title = escapeHtml(options.title ?? 'GraphiQL');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${title}</title>
    <link rel="icon" href="${assets.favicon}" />
    <link rel="stylesheet" href="${assets.css}" />
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>GraphiQL needs JavaScript.</noscript>
    <div id="root"></div>
    <script>
      // The editors' workers are files of the service; globalAPI lets the token keeper reach the Headers pane.
      const workers = ${scriptJson(assets.workers)};
      self.MonacoEnvironment = { globalAPI: true, getWorkerUrl: (_moduleId, label) => workers[label] };
    </script>
    <script src="${assets.tokenKeeper}" data-endpoint="${escapeHtml(options.endpoint ?? '/graphql')}"></script>
    <script src="${assets.js}"></script>
    <script>
      YogaGraphiQL.renderYogaGraphiQL(document.querySelector('#root'), ${scriptJson(options)});
    </script>
  </body>
</html>
`;
}
