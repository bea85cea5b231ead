import { SIGNAL_LABEL, signals, type SignalAnswer } from './signals';
import { scanSignalVector } from './vectorScan';

type Sample = { metric: Record<string, string>; value: [number, string] };

/** An answer as Prometheus writes it (compact JSON: web/api/v1's json codec). */
const answer = (result: Sample[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    status: 'success',
    data: { resultType: 'vector', result },
    ...extra,
  });

const sample = (
  signal: string | undefined,
  labels: Record<string, string>,
  value: string,
  time = 1764900000.123,
): Sample => ({
  metric: signal === undefined ? labels : { ...labels, [SIGNAL_LABEL]: signal },
  value: [time, value],
});

/** What the JSON path gives: the split of the parsed samples, without the signal label. */
function viaJson(text: string): Record<string, unknown> {
  return plain(signals(JSON.parse(text).data.result));
}

function plain(split: SignalAnswer): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [signal, list] of split)
    out[signal] = list.map(s => {
      const { [SIGNAL_LABEL]: _, ...labels } = s.labels;
      return { labels, value: s.value };
    });
  return out;
}

describe('scanSignalVector', () => {
  it('splits a joined answer as parsing it and splitting it would, signal by signal', () => {
    const text = answer([
      sample('sent', { cluster: 'edge-a' }, '12.5'),
      sample('sent', { cluster: 'edge-b' }, '0'),
      sample(
        'lag_q',
        {
          cluster: 'edge-a',
          instance: 'prometheus:9090',
          remote_name: 'central',
          url: 'http://receive:19291/api/v1/receive',
        },
        '1e+03',
      ),
      // A signal again after another one (an `or` of series that match both parts).
      sample('sent', { cluster: 'edge-c' }, '-3.25'),
      sample('lag', {}, '7'),
      // Untagged and non-finite samples are dropped, as signals() drops them.
      sample(undefined, { cluster: 'edge-d' }, '1'),
      sample('sent', { cluster: 'edge-e' }, 'NaN'),
      sample('sent', { cluster: 'edge-f' }, '+Inf'),
      sample('failed_q', { cluster: 'ünïcode-ß' }, '2'),
    ]);
    const scanned = scanSignalVector(text);
    expect(scanned).toBeDefined();
    expect(plain(scanned!.result)).toEqual(viaJson(text));
    expect(scanned!.result.get('sent')!.map(s => s.labels.cluster)).toEqual([
      'edge-a',
      'edge-b',
      'edge-c',
    ]);
    // The signal is the key, not a label.
    expect(scanned!.result.get('lag')![0].labels).toEqual({});
    expect(scanned!.warnings).toEqual([]);
  });

  it('reads an empty answer and the warnings and infos after the data', () => {
    expect(scanSignalVector(answer([]))).toEqual({
      result: new Map(),
      warnings: [],
    });
    const text = answer([sample('sent', { cluster: 'a' }, '1')], {
      warnings: ['receive-1 is unreachable'],
      infos: ['PromQL info: metric might not be a counter'],
    });
    const scanned = scanSignalVector(text);
    expect(scanned?.warnings).toEqual(['receive-1 is unreachable']);
    expect(plain(scanned!.result)).toEqual(viaJson(text));
  });

  it('leaves every answer it does not read exactly to the JSON path', () => {
    const one = [sample('sent', { cluster: 'a' }, '1')];
    for (const text of [
      // Escapes: a quote, a backslash, an HTML character as jsoniter writes it.
      answer([sample('sent', { cluster: 'a"b' }, '1')]),
      answer([sample('sent', { cluster: 'a\\b' }, '1')]),
      '{"status":"success","data":{"resultType":"vector","result":[{"metric":{"url":"http://x/?a=1\\u0026b=2","fleet_monitoring_signal":"sent"},"value":[1,"1"]}]}}',
      // Whitespace (a proxy that pretty-prints), another result type, a native histogram.
      JSON.stringify(JSON.parse(answer(one)), null, 2),
      JSON.stringify({
        status: 'success',
        data: { resultType: 'matrix', result: [] },
      }),
      '{"status":"success","data":{"resultType":"vector","result":[{"metric":{"fleet_monitoring_signal":"sent"},"histogram":[1,{"count":"1","sum":"1"}]}]}}',
      // A label named __proto__ (a valid Prometheus label name): JSON.parse keeps it as a label.
      '{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__proto__":"x","fleet_monitoring_signal":"sent"},"value":[1,"1"]}]}}',
      // Errors, truncation, trailing garbage.
      '{"status":"error","errorType":"bad_data","error":"parse error"}',
      answer(one).slice(0, -10),
      `${answer(one)}x`,
      `${answer(one).slice(0, -1)},"warnings":[}`,
      '',
    ]) {
      expect({ text, scanned: scanSignalVector(text) }).toEqual({
        text,
        scanned: undefined,
      });
    }
  });

  it('matches the JSON path on generated answers', () => {
    // A deterministic generator: labels of varied names and counts, values of every spelling.
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      // The high bits: an LCG's low bits repeat with a short period.
      return Math.floor((seed / 2 ** 31) * n);
    };
    // Names that are prefixes of each other and of equal length: a sample's names are matched
    // against the sample before's, position by position.
    const NAMES = ['l', 'l1', 'l10', 'l2', 'le', 'cluster', 'clusters', 'url'];
    const values = [
      '0',
      '1',
      '-2.5',
      '1e-09',
      '3.4028236692093846e+38',
      'NaN',
      '-Inf',
      '17',
    ];
    for (let round = 0; round < 50; round++) {
      const result: Sample[] = [];
      for (let i = 0, n = next(40); i < n; i++) {
        const labels: Record<string, string> = {};
        for (let k = 0, m = next(5); k < m; k++)
          labels[NAMES[next(NAMES.length)]] =
            `v${next(1000)}-${'x'.repeat(next(20))}`;
        const signal = next(8) === 0 ? undefined : `s${next(4)}`;
        result.push(
          sample(signal, labels, values[next(values.length)], next(2e9) / 1000),
        );
      }
      const text = answer(result);
      const scanned = scanSignalVector(text);
      expect(scanned).toBeDefined();
      expect(plain(scanned!.result)).toEqual(viaJson(text));
    }
  });
});
