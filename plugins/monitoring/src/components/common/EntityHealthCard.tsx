import { ReactNode } from 'react';
import type { CompoundEntityRef, Entity } from '@backstage/catalog-model';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import type { FleetMonitoringApi } from '../../api';
import { RequestErrorNotice } from './ErrorStates';
import { HealthCard, Loading } from './HealthCard';
import { useEntityRequest } from './useEntityRequest';
import { LiveStatus, RefreshFailedBanner } from './LiveStatus';

/**
 * The flow every entity card shares: without its annotation it says which one to add (and sends no
 * request); otherwise one backend request per refresh, with loading, error and the card's details.
 */
export function EntityHealthCard<T>(props: {
  title: string | ((value: T | undefined) => string);
  subheader?: ReactNode;
  isAvailable: (entity: Entity) => boolean;
  annotation: string | string[];
  load: (api: FleetMonitoringApi, ref: CompoundEntityRef) => Promise<T>;
  render: (value: T) => ReactNode;
  /** Handles an error itself (return a node), or leaves it to the standard notice (undefined). */
  renderError?: (error: Error) => ReactNode | undefined;
}) {
  const { entity } = useEntity();
  const available = props.isAvailable(entity);
  const { value, loading, error, retry, fetchedAt } = useEntityRequest(
    available,
    props.load,
  );
  const title =
    typeof props.title === 'function' ? props.title(value) : props.title;
  if (!available) {
    return (
      <HealthCard title={title}>
        {/* Backstage's own empty state (core-components, MUI inside): BUI has none that names an annotation. */}
        <MissingAnnotationEmptyState annotation={props.annotation} />
      </HealthCard>
    );
  }
  return (
    <HealthCard
      title={title}
      subheader={props.subheader}
      onRefresh={retry}
      refreshing={loading}
      status={<LiveStatus fetchedAt={fetchedAt} what={title} />}
    >
      {loading && value === undefined && <Loading />}
      {error &&
        value === undefined &&
        (props.renderError?.(error) ?? <RequestErrorNotice error={error} />)}
      {error && value !== undefined && (
        <RefreshFailedBanner fetchedAt={fetchedAt} />
      )}
      {value !== undefined && props.render(value)}
    </HealthCard>
  );
}
