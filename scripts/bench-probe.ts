// `me` at a steady 100 requests/s for scripts/bench.ts, from a process of its own,
// as a client elsewhere would be: it shares no event loop with the load generator
// of a login storm. Usage: bench-probe.ts <url> <access token> <seconds>
import autocannon from 'autocannon';

const [url, token, seconds] = process.argv.slice(2);
autocannon(
  {
    url: url ?? '',
    connections: 4,
    overallRate: 100,
    duration: Number(seconds),
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ me { id email } }' }),
  },
  (error, result) => {
    if (error) throw error;
    const { p50, p99 } = result.latency;
    process.stdout.write(JSON.stringify({ p50, p99, errors: result.errors, non2xx: result.non2xx }));
  },
);
