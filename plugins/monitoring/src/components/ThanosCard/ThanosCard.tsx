import { Alert, Cell, CellText, Table, Text } from '@backstage/ui';
import {
  isThanosAvailable,
  THANOS_COMPONENT_ANNOTATION,
  type StoreEndpoint,
  type ThanosHealth,
} from '@fleet-monitoring/plugin-monitoring-common';
import {
  formatDuration,
  formatPercent,
  formatRate,
  formatNumber,
  formatTime,
  ReasonList,
  StateBadge,
  StateHeader,
  StatGrid,
  UpstreamErrorNotice,
  EntityHealthCard,
} from '../common';

const section = { marginTop: 'var(--bui-space-4)' };

function ReceiveStats({ health }: { health: ThanosHealth }) {
  const r = health.receive ?? {};
  let reload = '—';
  if (r.configReloadSuccessful !== undefined) {
    reload = r.configReloadSuccessful
      ? 'Last reload succeeded'
      : 'Last reload FAILED';
  }
  let hashring = '—';
  if (r.hashringFileErrorsPerSecond !== undefined) {
    hashring =
      r.hashringFileErrorsPerSecond > 0
        ? `File errors: ${formatRate(r.hashringFileErrorsPerSecond)}`
        : 'File read OK';
  }
  return (
    <StatGrid
      items={[
        {
          label: 'Receive error ratio (5xx)',
          value: formatPercent(r.httpErrorRatio),
        },
        {
          label: 'p99 write latency',
          value: formatDuration(r.p99LatencySeconds),
        },
        {
          label: 'Replication failures',
          value: formatPercent(r.replicationFailureRatio),
        },
        {
          label: 'Forward failures',
          value: formatPercent(r.forwardFailureRatio),
        },
        { label: 'Hashring', value: hashring },
        { label: 'Config reload', value: reload },
        {
          label: 'Head-series limited',
          value:
            r.headSeriesLimitedPerSecond === undefined
              ? '—'
              : `${formatRate(r.headSeriesLimitedPerSecond)} requests`,
        },
        {
          label: 'Replication factor',
          value: formatNumber(r.replicationFactor),
        },
        { label: 'Hashring nodes', value: formatNumber(r.hashringNodes) },
      ]}
    />
  );
}

function labelSets(store: StoreEndpoint): string {
  return store.labelSets
    .map(ls =>
      Object.entries(ls)
        .map(([k, v]) => `${k}="${v}"`)
        .join(', '),
    )
    .join('; ');
}

function StoreTable({ stores }: { stores: StoreEndpoint[] }) {
  if (stores.length === 0) {
    return (
      <Text as="p" variant="body-small">
        The querier reports no store endpoints.
      </Text>
    );
  }
  const rows = stores.map(store => ({
    id: `${store.type}-${store.name}`,
    store,
  }));
  return (
    <div role="region" aria-label="Store endpoints">
      <Table
        pagination={{ type: 'none' }}
        data={rows}
        columnConfig={[
          {
            id: 'endpoint',
            label: 'Endpoint',
            isRowHeader: true,
            cell: ({ store }) => (
              <CellText
                title={store.name}
                description={
                  store.labelSets.length > 0 ? labelSets(store) : undefined
                }
              />
            ),
          },
          {
            id: 'type',
            label: 'Type',
            cell: ({ store }) => <CellText title={store.type} />,
          },
          {
            id: 'status',
            label: 'Status',
            cell: ({ store }) => (
              <Cell>
                <StateBadge state={store.lastError ? 'failing' : 'healthy'} />
                {store.lastError && (
                  <Text
                    as="p"
                    variant="body-small"
                    color="danger"
                    style={{ wordBreak: 'break-word' }}
                  >
                    {store.lastError}
                  </Text>
                )}
              </Cell>
            ),
          },
          {
            id: 'lastCheck',
            label: 'Last check',
            cell: ({ store }) => (
              <CellText title={formatTime(store.lastCheck)} />
            ),
          },
        ]}
      />
    </div>
  );
}

export function ThanosDetails({ health }: { health: ThanosHealth }) {
  const what =
    health.component === 'receive' ? 'Thanos Receive' : 'Thanos Query';
  return (
    <>
      <StateHeader state={health.state}>
        {what} via Thanos instance <strong>{health.instance}</strong>
      </StateHeader>
      {health.error && <UpstreamErrorNotice error={health.error} />}
      <ReasonList reasons={health.reasons} />
      {!health.error && health.component === 'receive' && (
        <ReceiveStats health={health} />
      )}
      {!health.error && health.component === 'query' && !health.isThanos && (
        <Alert
          status="info"
          icon
          title="Not a Thanos querier"
          description={
            <>
              The upstream answered 404 on <code>/api/v1/stores</code>: it is a
              plain Prometheus (or another PromQL API), so there are no store
              endpoints to check. The PromQL-based checks still work.
            </>
          }
        />
      )}
      {!health.error && health.component === 'query' && health.isThanos && (
        <div style={section}>
          <Text as="h3" variant="title-x-small">
            Store endpoints
          </Text>
          <StoreTable stores={health.stores ?? []} />
        </div>
      )}
      {health.warnings.length > 0 && (
        <div style={section}>
          <Alert
            status="warning"
            icon
            title={`Partial response: ${health.warnings.length} warning(s)`}
            description={
              <ul aria-label="Partial-response warnings">
                {health.warnings.map((w, i) => (
                  <li key={i}>{w}</li>
                ))}
              </ul>
            }
          />
        </div>
      )}
    </>
  );
}

/** Health of the Thanos Receive or Query component the entity is (`fleet-monitoring.io/thanos-component`). */
export function ThanosCard() {
  return (
    <EntityHealthCard
      title={(value: ThanosHealth | undefined) => {
        if (!value) return 'Thanos health';
        return value.component === 'query'
          ? 'Thanos Query health'
          : 'Thanos Receive health';
      }}
      isAvailable={isThanosAvailable}
      annotation={THANOS_COMPONENT_ANNOTATION}
      load={(api, ref) => api.getThanosHealth(ref)}
      render={health => <ThanosDetails health={health} />}
    />
  );
}
