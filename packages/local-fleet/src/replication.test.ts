import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ReplicatedSink, SampleConflictError } from './replication';

/** A remote-write endpoint answering every write with `status` and `body`. */
async function endpoint(status: number, body = '') {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(status).end(body));
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/v1/write`,
    close: () => new Promise(r => server.close(r)),
  };
}

const batch = [
  {
    tenant: 'edge-a',
    series: [
      {
        labels: { __name__: 'up', cluster: 'edge-a' },
        samples: [{ value: 1, timestamp: Date.now() }],
      },
    ],
  },
];

describe('ReplicatedSink write failures, as Thanos Receive classifies them (handler.go v0.42.4)', () => {
  const open: Array<{ close: () => Promise<unknown> }> = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map(e => e.close()));
  });
  const make = async (status: number, body?: string) => {
    const e = await endpoint(status, body);
    open.push(e);
    return e.url;
  };

  it('is a conflict when every store refuses the samples as out of order (a retried batch one store took already)', async () => {
    const sink = new ReplicatedSink(
      await make(400, 'out of order sample'),
      await make(200),
    );
    await expect(sink.write(batch)).rejects.toBeInstanceOf(SampleConflictError);
  });

  it('is unavailable (retried) when a store is down, even if another refuses a conflict', async () => {
    const sink = new ReplicatedSink(
      await make(400, 'out of bounds'),
      await make(503, 'not ready'),
    );
    const error = await sink.write(batch).catch(e => e);
    expect(error).not.toBeInstanceOf(SampleConflictError);
    expect(String(error)).toContain('503');
  });

  it('is not a conflict for any other 400', async () => {
    const sink = new ReplicatedSink(
      await make(400, 'invalid label'),
      await make(200),
    );
    const error = await sink.write(batch).catch(e => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(SampleConflictError);
  });
});
