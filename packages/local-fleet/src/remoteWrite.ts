import { deserialize, pushTimeseries } from 'prometheus-remote-write';

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
      headers: {
        'X-Prometheus-Remote-Write-Version': '0.1.0',
        'Content-Encoding': 'snappy',
        ...headers,
      },
    });
    requests++;
    if (result.status >= 300) {
      throw new Error(
        `remote write to ${url} failed: ${result.status} ${result.errorMessage ?? ''}`.trim(),
      );
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

/**
 * Decodes a remote-write 1.0 request body (snappy block format around a protobuf WriteRequest), as
 * a receiver does. Only what the fakes need: labels and float samples.
 */
export async function decodeWriteRequest(body: Buffer): Promise<Timeseries[]> {
  const raw = snappyUncompress(body);
  const req = (await deserialize(
    raw as unknown as ArrayBufferLike,
  )) as unknown as {
    timeseries?: Array<{
      labels?: Array<{ name: string; value: string }>;
      samples?: Array<{ value: number; timestamp: unknown }>;
    }>;
  };
  return (req.timeseries ?? []).map(ts => ({
    labels: Object.fromEntries((ts.labels ?? []).map(l => [l.name, l.value])),
    samples: (ts.samples ?? []).map(s => ({
      value: Number(s.value ?? 0),
      timestamp: Number(s.timestamp ?? 0),
    })),
  }));
}

/** Snappy block-format decompression (the framing remote write uses), after the format description. */
export function snappyUncompress(input: Buffer): Buffer {
  let pos = 0;
  const varint = () => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = input[pos++];
      result += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return result;
      shift += 7;
    }
  };
  const out = Buffer.alloc(varint());
  let o = 0;
  while (pos < input.length) {
    const tag = input[pos++];
    const kind = tag & 3;
    if (kind === 0) {
      let len = tag >> 2;
      if (len >= 60) {
        const bytes = len - 59;
        len = input.readUIntLE(pos, bytes);
        pos += bytes;
      }
      len += 1;
      input.copy(out, o, pos, pos + len);
      pos += len;
      o += len;
      continue;
    }
    let len: number;
    let offset: number;
    if (kind === 1) {
      len = ((tag >> 2) & 7) + 4;
      offset = ((tag >> 5) << 8) | input[pos++];
    } else if (kind === 2) {
      len = (tag >> 2) + 1;
      offset = input.readUInt16LE(pos);
      pos += 2;
    } else {
      len = (tag >> 2) + 1;
      offset = input.readUInt32LE(pos);
      pos += 4;
    }
    if (offset === 0 || offset > o) throw new Error('snappy: bad copy offset');
    // Copies may overlap their own output (run-length style), so copy byte by byte.
    for (let i = 0; i < len; i++, o++) out[o] = out[o - offset];
  }
  if (o !== out.length) throw new Error('snappy: length mismatch');
  return out;
}
