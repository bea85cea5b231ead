import type { ReactNode } from 'react';
import type { Entity } from '@backstage/catalog-model';
import { configApiRef, type FetchApi } from '@backstage/core-plugin-api';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { MockConfigApi, TestApiProvider } from '@backstage/test-utils';
import { fleetMonitoringApiRef, FleetMonitoringClient } from '../api';

export const BASE_URL = 'http://backstage.test/api/fleet-monitoring';

type Handler = (url: URL) => Response | Promise<Response>;

/** A FetchApi answering from `handler`, recording every URL it was asked for. */
export function fakeFetch(handler: Handler) {
  const calls: string[] = [];
  const fetchApi: FetchApi = {
    fetch: (async (input: Request | string) => {
      const url = new URL(typeof input === 'string' ? input : input.url);
      calls.push(
        `${url.pathname.replace('/api/fleet-monitoring', '')}${url.search}`,
      );
      return handler(url);
    }) as typeof fetch,
  };
  return { fetchApi, calls };
}

export const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });

export const backstageError = (
  status: number,
  name: string,
  message: string,
  extra: object = {},
) =>
  json(
    { error: { name, message, ...extra }, response: { statusCode: status } },
    status,
  );

/** Wraps a card in a real client over a fake fetch, the entity, and optional config. */
export function Wrapper(props: {
  entity?: Entity;
  fetchApi: FetchApi;
  config?: ConstructorParameters<typeof MockConfigApi>[0];
  children: ReactNode;
}) {
  const client = new FleetMonitoringClient({
    discoveryApi: { getBaseUrl: async () => BASE_URL },
    fetchApi: props.fetchApi,
  });
  return (
    <TestApiProvider
      apis={[
        [fleetMonitoringApiRef, client],
        [configApiRef, new MockConfigApi(props.config ?? {})],
      ]}
    >
      {props.entity ? (
        <EntityProvider entity={props.entity}>{props.children}</EntityProvider>
      ) : (
        props.children
      )}
    </TestApiProvider>
  );
}
