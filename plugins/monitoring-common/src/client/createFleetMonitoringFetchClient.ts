import { ResponseError } from '@backstage/errors';
import createClient, { type Client } from 'openapi-fetch';
import type { paths } from '../schema/openapi';

/**
 * An HTTP client of the backend typed by its OpenAPI document (`paths` is generated from it):
 * a route, parameter or answer that is not in the document does not compile.
 *
 * @public
 */
export type FleetMonitoringFetchClient = Client<paths>;

/**
 * Creates the typed client. Each call takes the backend's `baseUrl` (from Backstage's discovery);
 * `fetchApi` adds the caller's Backstage token. A non-2xx answer rejects with Backstage's
 * `ResponseError`, whose `body` is the backend's error body (upstream, kind, message).
 *
 * @public
 */
export function createFleetMonitoringFetchClient(options: {
  fetchApi?: { fetch: typeof fetch };
}): FleetMonitoringFetchClient {
  const fetchImpl = options.fetchApi?.fetch ?? globalThis.fetch;
  const client = createClient<paths>({
    fetch: request => fetchImpl(request),
    headers: { Accept: 'application/json' },
  });
  client.use({
    async onResponse({ response }) {
      // Thrown before openapi-fetch reads the body, so ResponseError gets the whole answer.
      if (!response.ok) throw await ResponseError.fromResponse(response);
      return undefined;
    },
  });
  return client;
}
