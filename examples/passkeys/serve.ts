// Serves the passkey example page on http://localhost:5174 (PASSKEYS_PORT),
// its TypeScript bundled for the browser on each request:
//   TOLLGATE_URL=http://localhost:4000/graphql node --import tsx examples/passkeys/serve.ts
// Open it at http://localhost:5174: passkeys need a secure context, which
// localhost is; Tollgate's development settings take any localhost origin.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { build } from 'esbuild';

const tollgateUrl = process.env.TOLLGATE_URL ?? 'http://localhost:4000/graphql';
const port = Number(process.env.PASSKEYS_PORT ?? 5174);

async function appScript(): Promise<string> {
  const result = await build({
    entryPoints: [new URL('./app.ts', import.meta.url).pathname],
    bundle: true,
    format: 'esm',
    write: false,
    define: { TOLLGATE_URL: JSON.stringify(tollgateUrl) },
  });
  return result.outputFiles[0]?.text ?? '';
}

const server = createServer((request, response) => {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  const page =
    path === '/'
      ? readFile(new URL('./index.html', import.meta.url), 'utf8').then((body) => ({ type: 'text/html', body }))
      : path === '/app.js'
        ? appScript().then((body) => ({ type: 'text/javascript', body }))
        : undefined;
  if (!page) {
    response.writeHead(404).end();
    return;
  }
  page.then(
    ({ type, body }) => response.writeHead(200, { 'content-type': `${type}; charset=utf-8` }).end(body),
    (error: unknown) => response.writeHead(500).end(String(error)),
  );
});

server.listen(port, 'localhost', () => {
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  console.log(`passkey example: http://localhost:${bound} (Tollgate at ${tollgateUrl})`);
});
