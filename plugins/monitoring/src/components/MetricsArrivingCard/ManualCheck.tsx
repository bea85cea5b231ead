import { Alert, Button, CellText, Flex, Table, Text } from '@backstage/ui';
// Backstage's CodeSnippet (syntax highlighting + copy button): BUI has no code block.
import { CodeSnippet } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import {
  fleetMonitoringApiRef,
  statusOfError,
  type InstantSample,
} from '../../api';
import { RequestErrorNotice } from '../common';

/** Rows shown of a result; the rest is counted (a broad selector can match thousands of series). */
const MAX_ROWS = 20;

const labelsOf = (s: InstantSample) =>
  Object.entries(s.metric)
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ') || '{}';

/**
 * The card's own check, runnable in place: the query goes through the backend's PromQL
 * pass-through (permission `fleet-monitoring.query`), so the user needs no Thanos access or token.
 */
export function ManualCheck(props: { instance: string; query: string }) {
  const api = useApi(fleetMonitoringApiRef);
  const [run, execute] = useAsyncFn(
    () => api.queryThanos(props.instance, props.query),
    [api, props.instance, props.query],
  );
  const rows = run.value?.result ?? [];
  return (
    <div role="region" aria-label="Check by hand">
      <Flex justify="between" align="center">
        <Text as="p" variant="body-small">
          The query that finds the series, to run here or in Thanos Query:
        </Text>
        <Button
          size="small"
          variant="secondary"
          onPress={execute}
          isDisabled={run.loading}
        >
          {run.loading ? 'Running…' : 'Run query'}
        </Button>
      </Flex>
      <CodeSnippet language="promql" text={props.query} showCopyCodeButton />
      {run.error &&
        (statusOfError(run.error) === 403 ? (
          <Alert
            status="info"
            icon
            title="Running queries here needs the fleet-monitoring.query permission"
            description="Copy the query into Thanos Query instead, or ask for the permission."
          />
        ) : (
          <RequestErrorNotice error={run.error} />
        ))}
      {run.value && (
        <div data-testid="manual-check-result">
          {run.value.warnings?.map(w => (
            <Alert key={w} status="warning" icon title={w} />
          ))}
          {rows.length === 0 ? (
            <Text as="p" variant="body-small">
              The query returns nothing: no matching series is in Thanos now.
            </Text>
          ) : (
            <Table
              pagination={{ type: 'none' }}
              data={rows.slice(0, MAX_ROWS).map(s => ({ id: labelsOf(s), s }))}
              columnConfig={[
                {
                  id: 'labels',
                  label: 'Series',
                  isRowHeader: true,
                  cell: ({ s }) => <CellText title={labelsOf(s)} />,
                },
                {
                  id: 'value',
                  label: 'Value',
                  cell: ({ s }) => <CellText title={s.value[1]} />,
                },
              ]}
            />
          )}
          {rows.length > MAX_ROWS && (
            <Text as="p" variant="body-x-small" color="secondary">
              {rows.length - MAX_ROWS} more series not shown.
            </Text>
          )}
        </div>
      )}
    </div>
  );
}
