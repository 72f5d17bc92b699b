/** What serves the metrics text: a prom-client registry, or the primary's sum over the workers. */
export interface MetricsSource {
  readonly contentType: string;
  metrics(): Promise<string>;
}

export const METRICS_PATH = '/metrics';

/** The answer to a request for the metrics, whichever server received it. */
export async function scrape(
  registry: MetricsSource,
  method: string | undefined,
): Promise<{ status: number; headers: Record<string, string>; body: string | null }> {
  if (method !== 'GET' && method !== 'HEAD') return { status: 405, headers: { allow: 'GET, HEAD' }, body: null };
  const text = await registry.metrics();
  return {
    status: 200,
    headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' },
    body: method === 'HEAD' ? null : text,
  };
}
