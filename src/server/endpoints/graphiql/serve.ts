import type { Plugin } from 'graphql-yoga';
import { ASSET_PREFIX, type Encoding, type GraphiQLAssets, loadGraphiQLAssets } from './assets.ts';

const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The compression a request accepts that the asset can be sent in, best first. */
function encodingFor(acceptEncoding: string | null): Encoding | undefined {
  const accepted = new Set((acceptEncoding ?? '').split(',').map((e) => e.split(';')[0]?.trim().toLowerCase()));
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip')) return 'gzip';
  return undefined;
}

/** GraphiQL's files, loaded once on first use and shared by the page and the asset responses. */
export function graphiqlAssets(): () => Promise<GraphiQLAssets> {
  let loading: Promise<GraphiQLAssets> | undefined;
  return () => {
    loading ??= loadGraphiQLAssets().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
}

/**
 * Serves GraphiQL's files under /graphiql/, each named by its hash, so a browser
 * keeps it for a year and never asks again; a new version has a new name.
 */
export function useGraphiQLAssets(assets: () => Promise<GraphiQLAssets>): Plugin {
  return {
    async onRequest({ url, request, fetchAPI, endResponse }) {
      if (!url.pathname.startsWith(ASSET_PREFIX)) return;
      const asset = request.method === 'GET' ? (await assets()).find(url.pathname) : undefined;
      if (!asset) {
        endResponse(new fetchAPI.Response(null, { status: 404 }));
        return;
      }
      const encoding = encodingFor(request.headers.get('accept-encoding'));
      const body = encoding ? await asset.encoded(encoding) : asset.raw();
      const headers: Record<string, string> = {
        'content-type': asset.type,
        'content-length': String(body.byteLength),
        'cache-control': IMMUTABLE,
        vary: 'accept-encoding',
        ...(encoding ? { 'content-encoding': encoding } : {}),
      };
      endResponse(new fetchAPI.Response(new Uint8Array(body), { status: 200, headers }));
    },
  };
}
