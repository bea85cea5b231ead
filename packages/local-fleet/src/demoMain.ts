/**
 * Runs the demo fleet as a process (used by `npm start` and the end-to-end test).
 * Prints one JSON line with its URLs when ready; stops everything on SIGTERM/SIGINT.
 * A tiny control API on 127.0.0.1 lets tests inject faults:
 *   POST /central/stop, POST /central/start, POST /agents/<cluster>/break-remote-write,
 *   POST /agents/<cluster>/repair-remote-write
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startDemoFleet } from './demo';

async function main() {
  const env = (k: string) =>
    process.env[k] ? Number(process.env[k]) : undefined;
  const demo = await startDemoFleet({
    centralPort: env('FLEET_CENTRAL_PORT'),
    queryPort: env('FLEET_QUERY_PORT'),
    argocdPort: env('FLEET_ARGOCD_PORT'),
    kubernetesPort: env('FLEET_KUBERNETES_PORT'),
    githubPort: env('FLEET_GITHUB_PORT'),
    syntheticClusters: env('FLEET_SYNTHETIC_CLUSTERS'),
    log: line => process.stderr.write(`[fleet] ${line}\n`),
  });
  const control = http.createServer(async (req, res) => {
    const path = req.url ?? '';
    try {
      if (req.method !== 'POST') throw new Error('POST only');
      const breakMatch = path.match(
        /^\/agents\/([a-z0-9-]+)\/break-remote-write$/,
      );
      const repairMatch = path.match(
        /^\/agents\/([a-z0-9-]+)\/repair-remote-write$/,
      );
      if (path === '/central/stop') await demo.fleet.stopCentral();
      else if (path === '/central/start') await demo.fleet.startCentral();
      else if (breakMatch) await demo.fleet.breakRemoteWrite(breakMatch[1]);
      else if (repairMatch) await demo.fleet.repairRemoteWrite(repairMatch[1]);
      else {
        res.writeHead(404).end('unknown control');
        return;
      }
      res.writeHead(200).end('ok');
    } catch (e) {
      res.writeHead(400).end(String(e));
    }
  });
  await new Promise<void>(r =>
    control.listen(env('FLEET_CONTROL_PORT') ?? 0, '127.0.0.1', r),
  );
  const controlUrl = `http://127.0.0.1:${(control.address() as AddressInfo).port}`;
  process.stdout.write(
    `${JSON.stringify({ queryUrl: demo.queryUrl, centralUrl: demo.centralUrl, controlUrl, argocd: { url: demo.argocd.url, token: demo.argocd.token }, kubernetes: { cluster: demo.kubernetes.cluster, url: demo.kubernetes.url, token: demo.kubernetes.token }, githubUrl: demo.github.url, githubToken: demo.github.token })}\n`,
  );
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    control.close();
    await demo.stop();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch(e => {
  process.stderr.write(`[fleet] failed to start: ${e?.stack ?? e}\n`);
  process.exit(1);
});
