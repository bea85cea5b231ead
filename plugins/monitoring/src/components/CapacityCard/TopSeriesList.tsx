import { useState } from 'react';
import {
  ButtonLink,
  CellText,
  Table,
  Text,
  type Selection,
} from '@backstage/ui';
import {
  dropSeriesTemplatePath,
  type TopSeries,
  type TopSeriesMetric,
} from '@fleet-monitoring/plugin-monitoring-common';
import {
  formatPercent,
  MISSING,
  ReasonList,
  UpstreamErrorNotice,
} from '../common';

const section = { marginTop: 'var(--bui-space-4)' };

function count(n: number | undefined): string {
  return n === undefined ? MISSING : Math.round(n).toLocaleString('en-US');
}

function change(m: TopSeriesMetric): string {
  if (m.change1d === undefined) return MISSING;
  const sign = m.change1d > 0 ? '+' : '';
  return `${sign}${count(m.change1d)}`;
}

/** The metrics selected: every row for "all", else the selected keys (metric names). */
function selectedNames(selection: Selection, metrics: TopSeriesMetric[]) {
  if (selection === 'all') return metrics.map(m => m.name);
  return metrics.map(m => m.name).filter(n => selection.has(n));
}

/**
 * Where a cluster's series come from: its tenant's top metric names by head series, their change
 * over a day and the labels that drive them; rows are selectable and "Drop these" opens the
 * drop-series template with the cluster and the chosen metrics.
 */
export function TopSeriesList({ top }: { top: TopSeries }) {
  const [selection, setSelection] = useState<Selection>(new Set());
  const chosen = selectedNames(selection, top.metrics);
  const rows = top.metrics.map(m => ({ id: m.name, m }));
  return (
    <div role="region" aria-label="Top series" style={section}>
      <Text as="h3" variant="title-x-small">
        Where the series come from
      </Text>
      {top.error && <UpstreamErrorNotice error={top.error} />}
      <ReasonList reasons={top.reasons} label="Top-series reasons" />
      {rows.length > 0 && (
        <>
          <Table
            pagination={{ type: 'none' }}
            data={rows}
            selection={{
              mode: 'multiple',
              selected: selection,
              onSelectionChange: setSelection,
            }}
            columnConfig={[
              {
                id: 'name',
                label: 'Metric',
                isRowHeader: true,
                cell: ({ m }) => (
                  <CellText
                    title={m.name}
                    description={
                      m.drivers?.length
                        ? `driven by ${m.drivers
                            .map(d => `${d.label} (${count(d.values)} values)`)
                            .join(', ')}`
                        : undefined
                    }
                  />
                ),
              },
              {
                id: 'series',
                label: 'Head series',
                cell: ({ m }) => (
                  <CellText
                    title={count(m.headSeries)}
                    description={formatPercent(m.share)}
                  />
                ),
              },
              {
                id: 'change',
                label: 'Change, 1 day',
                cell: ({ m }) => <CellText title={change(m)} />,
              },
            ]}
          />
          <div style={section}>
            <ButtonLink
              variant="secondary"
              href={dropSeriesTemplatePath(top.cluster, chosen)}
              isDisabled={chosen.length === 0}
              aria-label={`Drop these (${chosen.length})`}
            >
              Drop these{chosen.length > 0 ? ` (${chosen.length})` : ''}
            </ButtonLink>
          </div>
        </>
      )}
      {top.jobs.length > 0 && (
        <Text as="p" variant="body-small" color="secondary">
          Jobs:{' '}
          {top.jobs.map(j => `${j.job} ${count(j.headSeries)}`).join(', ')}.
          {top.labels.length > 0 &&
            ` Labels with the most values: ${top.labels
              .slice(0, 5)
              .map(l => `${l.label} ${count(l.values)}`)
              .join(', ')}.`}
        </Text>
      )}
      <Text as="p" variant="body-small" color="secondary">
        Tenant <code>{top.tenant}</code>
        {top.headSeries !== undefined &&
          `, ${count(top.headSeries)} head series summed over receivers`}
        . Cost to the store:{' '}
        {top.costs.map(c => `${c.view}: ${c.cost}`).join('; ')}.
      </Text>
    </div>
  );
}
