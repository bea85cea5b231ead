// Closed-loop HTTP load generator, run as its own process so it does not share the backend's
// event loop. argv: url, authorization header, clients, seconds. Prints one JSON line.
import http from 'node:http';

const [url, auth, clients, seconds] = process.argv.slice(2);
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(clients) });
const latencies = [];
let errors = 0;
const end = Date.now() + Number(seconds) * 1000;

function once() {
  return new Promise(resolve => {
    const t = performance.now();
    const req = http.get(
      url,
      { agent, headers: { authorization: auth } },
      res => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode !== 200) errors++;
          latencies.push(performance.now() - t);
          resolve();
        });
      },
    );
    req.on('error', () => {
      errors++;
      resolve();
    });
  });
}

await Promise.all(
  Array.from({ length: Number(clients) }, async () => {
    while (Date.now() < end) await once();
  }),
);
latencies.sort((a, b) => a - b);
const q = p =>
  latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ??
  0;
console.log(
  JSON.stringify({
    requests: latencies.length,
    errors,
    p50: q(0.5),
    p99: q(0.99),
    seconds: Number(seconds),
  }),
);
agent.destroy();
