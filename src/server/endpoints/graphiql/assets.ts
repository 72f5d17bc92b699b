import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

/** Where GraphiQL's scripts, styles, workers and icon are served, each under a name holding its hash. */
export const ASSET_PREFIX = '/graphiql/';

export type Encoding = 'br' | 'gzip';

export interface Asset {
  readonly path: string;
  readonly type: string;
  /** The asset as it is, made on demand (few clients accept no compression). */
  raw(): Buffer;
  /** The asset compressed, made once on first use. */
  encoded(encoding: Encoding): Promise<Buffer>;
}

export interface GraphiQLAssets {
  readonly css: string;
  readonly js: string;
  readonly favicon: string;
  readonly tokenKeeper: string;
  /** The editors' web workers, by the label Monaco asks for. */
  readonly workers: Readonly<Record<'editorWorkerService' | 'json' | 'graphql', string>>;
  find(pathname: string): Asset | undefined;
}

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

function asset(name: string, extension: string, type: string, content: () => Buffer): Asset {
  const hash = createHash('sha256').update(content()).digest('hex').slice(0, 16);
  const made = new Map<Encoding, Promise<Buffer>>();
  return {
    path: `${ASSET_PREFIX}${name}.${hash}.${extension}`,
    type,
    raw: content,
    encoded(encoding) {
      let buffer = made.get(encoding);
      if (!buffer) {
        // Brotli at a middle quality: a sixth of the size, in a fraction of a second, once.
        buffer =
          encoding === 'br'
            ? brotli(content(), { params: { [constants.BROTLI_PARAM_QUALITY]: 6 } })
            : gzipped(content(), { level: 6 });
        made.set(encoding, buffer);
      }
      return buffer;
    },
  };
}

const dataUrlBytes = (url: string) => Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');

/**
 * GraphiQL as separate files, from the bundle that @graphql-yoga/render-graphiql
 * ships (which would otherwise inline all of it, 9 MB, into one page). Loaded on
 * the first visit only: a service that is never browsed never holds it.
 */
export async function loadGraphiQLAssets(): Promise<GraphiQLAssets> {
  const bundle = await import('@graphql-yoga/render-graphiql/graphiql');
  const text = (key: Exclude<keyof typeof bundle, 'favicon'>) => () => Buffer.from(bundle[key], 'utf8');
  const keeper = await readFile(new URL('./token-keeper.js', import.meta.url));
  const assets = {
    css: asset('graphiql', 'css', 'text/css; charset=utf-8', text('css')),
    js: asset('graphiql', 'js', 'text/javascript; charset=utf-8', text('js')),
    favicon: asset('favicon', 'ico', 'image/x-icon', () => dataUrlBytes(bundle.favicon)),
    tokenKeeper: asset('token-keeper', 'js', 'text/javascript; charset=utf-8', () => keeper),
    editorWorkerService: asset('editor-worker', 'js', 'text/javascript; charset=utf-8', text('editorWorkerService')),
    json: asset('json-worker', 'js', 'text/javascript; charset=utf-8', text('jsonWorker')),
    graphql: asset('graphql-worker', 'js', 'text/javascript; charset=utf-8', text('graphqlWorker')),
  };
  const byPath = new Map(Object.values(assets).map((a) => [a.path, a]));
  return {
    css: assets.css.path,
    js: assets.js.path,
    favicon: assets.favicon.path,
    tokenKeeper: assets.tokenKeeper.path,
    workers: {
      editorWorkerService: assets.editorWorkerService.path,
      json: assets.json.path,
      graphql: assets.graphql.path,
    },
    find: (pathname) => byPath.get(pathname),
  };
}
