/**
 * An edge agent's `prometheus.yml` as the generated overlay renders it (the chart's server
 * ConfigMap, built from `server.global`, `server.remoteWrite` and `serverFiles."prometheus.yml"`),
 * made runnable on 127.0.0.1:
 * - global (external labels included) and remote_write are kept as generated; only the remote-write
 *   URL is re-pointed from the Ingress host to the entry-point stand-in, and files the config reads
 *   from mounted Secrets (basic-auth password, CA, client certificate) are written into a temp dir
 *   at the same path below it, with the Secret's content.
 * - the scrape jobs are replaced by one static self-scrape: the chart's jobs use
 *   kubernetes_sd_configs, which Debian's Prometheus 2.42 is built without (its config parser
 *   refuses the field), and the agent's own remote-write metrics are what the cards judge. It keeps
 *   the chart's self-scrape job name (`prometheus`) and scrapes every second, so rate windows fill
 *   within a test (the generated global interval, the chart's 1m, still applies to nothing else).
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { findObject, K8sObject } from './scaffoldedFleet';

export interface RunnableAgent {
  config: Record<string, any>;
  /** The agent's container args as rendered (the test checks it runs in agent mode). */
  args: string[];
}

/** Secret contents by name and key, as the cluster would mount them. */
export type Secrets = Record<string, Record<string, string>>;

export function runnableAgentConfig(
  docs: K8sObject[],
  opts: {
    selfPort: number;
    remoteWriteUrl: string;
    /** Temp dir standing in for the pod's filesystem root (mounted Secrets land below it). */
    podRoot: string;
    secrets: Secrets;
  },
): RunnableAgent {
  const configMap = docs.find(
    d => d.kind === 'ConfigMap' && d.data?.['prometheus.yml'] !== undefined,
  );
  if (!configMap)
    throw new Error(
      'the rendered edge overlay has no prometheus.yml ConfigMap',
    );
  const config = YAML.parse(configMap.data!['prometheus.yml']);
  const deployment = findObject(docs, 'Deployment');
  const container = deployment.spec.template.spec.containers[0];
  const volumes: Array<{ name: string; secret?: { secretName: string } }> =
    deployment.spec.template.spec.volumes ?? [];

  // Mounted Secrets: write each key where the container would see it (below podRoot).
  const mounts: Array<{ mountPath: string; secretName: string }> = [];
  for (const m of container.volumeMounts ?? []) {
    const secretName = volumes.find(v => v.name === m.name)?.secret?.secretName;
    if (!secretName) continue;
    mounts.push({ mountPath: m.mountPath, secretName });
    const content = opts.secrets[secretName];
    if (!content)
      throw new Error(
        `the agent mounts Secret ${secretName}, which the test does not provide`,
      );
    const dir = path.join(opts.podRoot, m.mountPath);
    fs.mkdirSync(dir, { recursive: true });
    for (const [key, value] of Object.entries(content))
      fs.writeFileSync(path.join(dir, key), value);
  }
  const inPod = (file: string) => {
    if (!mounts.some(m => file.startsWith(`${m.mountPath}/`)))
      throw new Error(
        `the generated config reads ${file}, which no mounted Secret provides`,
      );
    return path.join(opts.podRoot, file);
  };

  config.scrape_configs = [
    {
      job_name: 'prometheus',
      scrape_interval: '1s',
      static_configs: [{ targets: [`127.0.0.1:${opts.selfPort}`] }],
    },
  ];
  config.remote_write = (config.remote_write ?? []).map((rw: any) => {
    const out = { ...rw, url: opts.remoteWriteUrl };
    if (rw.basic_auth?.password_file)
      out.basic_auth = {
        ...rw.basic_auth,
        password_file: inPod(rw.basic_auth.password_file),
      };
    if (rw.authorization?.credentials_file)
      out.authorization = {
        ...rw.authorization,
        credentials_file: inPod(rw.authorization.credentials_file),
      };
    if (rw.tls_config) {
      // The stand-in speaks plain HTTP on 127.0.0.1; the files must still exist where the config says.
      for (const k of ['ca_file', 'cert_file', 'key_file'])
        if (rw.tls_config[k]) inPod(rw.tls_config[k]);
      delete out.tls_config;
    }
    return out;
  });
  return { config, args: container.args ?? [] };
}
