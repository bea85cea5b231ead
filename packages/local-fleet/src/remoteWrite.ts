import { pushTimeseries } from 'prometheus-remote-write';

export interface Sample {
  value: number;
  /** Unix milliseconds. */
  timestamp: number;
}

export interface Timeseries {
  labels: Record<string, string>;
  samples: Sample[];
}

/** Samples per remote-write request; keeps each request well under Prometheus's 32 MiB limit. */
const SAMPLES_PER_REQUEST = 40_000;

/**
 * Writes series to a remote-write receiver through the real protocol (snappy-compressed protobuf),
 * in bounded requests. Throws with the receiver's own message when it refuses a request.
 */
export async function writeSeries(
  url: string,
  series: Timeseries[],
  headers: Record<string, string> = {},
): Promise<{ requests: number; samples: number }> {
  let batch: Timeseries[] = [];
  let batchSamples = 0;
  let requests = 0;
  let samples = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const result = await pushTimeseries(batch as any, {
      url,
      fetch: globalThis.fetch as any,
      headers: { 'X-Prometheus-Remote-Write-Version': '0.1.0', 'Content-Encoding': 'snappy', ...headers },
    });
    requests++;
    if (result.status >= 300) {
      throw new Error(`remote write to ${url} failed: ${result.status} ${result.errorMessage ?? ''}`.trim());
    }
    samples += batchSamples;
    batch = [];
    batchSamples = 0;
  };
  for (const s of series) {
    if (s.samples.length === 0) continue;
    batch.push(s);
    batchSamples += s.samples.length;
    if (batchSamples >= SAMPLES_PER_REQUEST) await flush();
  }
  await flush();
  return { requests, samples };
}
