import { useMemo } from 'react';
import {
  getCompoundEntityRef,
  stringifyEntityRef,
  type CompoundEntityRef,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { fleetMonitoringApiRef, type FleetMonitoringApi } from '../../api';
import { useLiveRequest } from './useLiveRequest';

/**
 * A live backend request for the current entity (see {@link useLiveRequest}), again on every
 * `retry()`. Skipped (no request) when `enabled` is false, e.g. because the entity lacks the card's
 * annotation.
 */
export function useEntityRequest<T>(
  enabled: boolean,
  load: (api: FleetMonitoringApi, ref: CompoundEntityRef) => Promise<T>,
) {
  const api = useApi(fleetMonitoringApiRef);
  const { entity } = useEntity();
  const key = stringifyEntityRef(entity);
  const ref = useMemo(() => getCompoundEntityRef(entity), [key]); // eslint-disable-line react-hooks/exhaustive-deps
  const state = useLiveRequest(() => load(api, ref), [api, key], enabled);
  return { entity, ref, ...state };
}
