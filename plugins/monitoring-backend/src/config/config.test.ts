import { ConfigReader } from '@backstage/config';
import fs from 'node:fs';
import path from 'node:path';
import { readPluginConfig } from '.';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const read = (data: object) => readPluginConfig(new ConfigReader(data));

describe('readPluginConfig', () => {
  it('applies defaults and reads the cache TTLs once for every service', () => {
    const c = read({ fleetMonitoring: { cache: { ttlSeconds: 12 } } });
    expect(c.cacheTtlSeconds).toBe(12);
    expect(c.health.cacheTtlSeconds).toBe(12);
    expect(c.accessTtlSeconds).toBe(5);
    expect(c.argocd).toEqual({ instances: [], maxSyncWindowChecks: 5 });
    expect(c.kubernetes).toMatchObject({
      namespace: 'monitoring',
      hashringKey: 'hashrings.json',
      clusters: [],
    });
  });

  it.each([
    ['thanos', { thanos: [{ name: 'Bad Name', baseUrl: 'http://t' }] }],
    ['argocd', { argocd: [{ name: 'Bad Name', url: 'http://a', token: 't' }] }],
    [
      'kubernetes',
      { kubernetes: { clusters: [{ name: 'Bad Name', url: 'https://k' }] } },
    ],
  ])('applies one name rule to %s', (_, section) => {
    expect(() => read({ fleetMonitoring: section })).toThrow(
      /name "Bad Name" must be 1-63 letters/,
    );
  });

  it('accepts the same names everywhere, and refuses duplicates', () => {
    const c = read({
      fleetMonitoring: {
        thanos: [{ name: 'EU_1.central', baseUrl: 'http://t' }],
        argocd: [{ name: 'EU_1.central', url: 'http://a', token: 't' }],
        kubernetes: { clusters: [{ name: 'EU_1.central', url: 'https://k' }] },
      },
    });
    expect([
      c.health.thanos[0].name,
      c.argocd.instances[0].name,
      c.kubernetes.clusters[0].name,
    ]).toEqual(['EU_1.central', 'EU_1.central', 'EU_1.central']);
    expect(() =>
      read({
        fleetMonitoring: {
          thanos: [
            { name: 'a', baseUrl: 'http://t' },
            { name: 'a', baseUrl: 'http://u' },
          ],
        },
      }),
    ).toThrow(/duplicate name "a"/);
  });

  it('checks URLs the same way for every upstream', () => {
    expect(() =>
      read({
        fleetMonitoring: { thanos: [{ name: 'a', baseUrl: 'ftp://t' }] },
      }),
    ).toThrow(/must be http\(s\)/);
    expect(() =>
      read({
        fleetMonitoring: {
          argocd: [{ name: 'a', url: 'https://u:p@a', token: 't' }],
        },
      }),
    ).toThrow(/must not embed credentials/);
    expect(() =>
      read({
        fleetMonitoring: {
          kubernetes: { clusters: [{ name: 'a', url: 'not a url' }] },
        },
      }),
    ).toThrow(/is not a URL/);
    const c = read({
      fleetMonitoring: { thanos: [{ name: 'a', baseUrl: 'http://t/prefix' }] },
    });
    expect(c.health.thanos[0].baseUrl.toString()).toBe('http://t/prefix/');
  });

  it('reads a CA as PEM or base64 PEM for every upstream; anything else is an error', () => {
    const c = read({
      fleetMonitoring: {
        thanos: [{ name: 't', baseUrl: 'https://t', caData: PEM }],
        argocd: [
          {
            name: 'a',
            url: 'https://a',
            token: 'x',
            caData: Buffer.from(PEM).toString('base64'),
          },
        ],
      },
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              {
                name: 'k',
                url: 'https://k',
                caData: Buffer.from(PEM).toString('base64'),
              },
            ],
          },
        ],
      },
    });
    expect([
      c.health.thanos[0].ca,
      c.argocd.instances[0].ca,
      c.kubernetes.clusters[0].ca,
    ]).toEqual([PEM.trim(), PEM, PEM]);
    expect(() =>
      read({
        fleetMonitoring: {
          thanos: [{ name: 't', baseUrl: 'https://t', caData: 'bm9wZQ==' }],
        },
      }),
    ).toThrow(/neither a PEM bundle nor base64-encoded PEM/);
    expect(() =>
      read({
        fleetMonitoring: {
          thanos: [
            { name: 't', baseUrl: 'https://t', caFile: '/nonexistent/ca.pem' },
          ],
        },
      }),
    ).toThrow(/caFile "\/nonexistent\/ca.pem" cannot be read/);
  });

  it('refuses negative numbers and zero timeouts, naming the key', () => {
    expect(() =>
      read({ fleetMonitoring: { cache: { ttlSeconds: -1 } } }),
    ).toThrow(/fleetMonitoring.cache.ttlSeconds/);
    expect(() =>
      read({
        fleetMonitoring: {
          argocd: [{ name: 'a', url: 'http://a', token: 't', timeoutMs: 0 }],
        },
      }),
    ).toThrow(
      /fleetMonitoring.argocd\[a\].timeoutMs must be a positive number/,
    );
  });

  it('reads which series the fleet summary uses per Thanos instance (auto by default)', () => {
    const thanos = (extra: object) =>
      read({
        fleetMonitoring: {
          thanos: [{ name: 't', baseUrl: 'http://t', ...extra }],
        },
      }).health.thanos[0].summarySource;
    expect(thanos({})).toBe('auto');
    expect(thanos({ summarySource: 'recorded' })).toBe('recorded');
    expect(() => thanos({ summarySource: 'rules' })).toThrow(
      /fleetMonitoring.thanos\[t\].summarySource must be one of auto, recorded, raw/,
    );
  });
});

describe('one place reads the config', () => {
  it('no module outside config/ reads the fleetMonitoring or kubernetes sections', () => {
    const src = path.resolve(__dirname, '..');
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          if (file !== __dirname) walk(file);
        } else if (
          /\.ts$/.test(entry.name) &&
          !/\.test\.ts$/.test(entry.name)
        ) {
          const text = fs.readFileSync(file, 'utf8');
          if (
            /\.get\w*(Config|String|Number|Boolean|ConfigArray|StringArray)\(\s*['"`](fleetMonitoring|kubernetes)\b/.test(
              text,
            )
          ) {
            offenders.push(path.relative(src, file));
          }
        }
      }
    };
    walk(src);
    expect(offenders).toEqual([]);
  });
});
