import type { createOpenApiRouter } from '../schema/openapi/generated/router';

/** The typed router generated from `schema/openapi.yaml`; routes added to it are checked by tsc. */
export type FleetMonitoringRouter = Awaited<
  ReturnType<typeof createOpenApiRouter>
>;

/** Path prefix of every entity-scoped route. */
export const ENTITY_PATH = '/entity/:kind/:namespace/:name';
