import { Text } from '@backstage/ui';
import type {
  ArgocdHistoryEntry,
  ArgocdHistoryResponse,
} from '@fleet-monitoring/plugin-monitoring-common';
import { formatAgo, formatTime, Loading, RequestErrorNotice } from '../common';

export const mono = { fontFamily: 'monospace' };

/** A git SHA shortened to 7 characters; any other revision (a tag, a chart version) as it is. */
export const shortRev = (rev?: string) =>
  rev && /^[0-9a-f]{40}$/.test(rev) ? rev.slice(0, 7) : (rev ?? '—');

function initiatorText(h: ArgocdHistoryEntry): string {
  if (h.initiatedBy?.automated) return ' (automated)';
  if (h.initiatedBy?.username) return ` by ${h.initiatedBy.username}`;
  return '';
}

function sourceText(h: ArgocdHistoryEntry): string {
  if (h.source?.path) return ` from ${h.source.path}`;
  if (h.source?.chart) return ` from chart ${h.source.chart}`;
  return '';
}

/** "abc1234 deployed 2 h ago by alice from overlays/edge". */
function HistoryEntry({ entry }: { entry: ArgocdHistoryEntry }) {
  return (
    <li>
      <span style={mono}>
        {shortRev(entry.revision ?? entry.revisions?.[0])}
      </span>{' '}
      deployed{' '}
      <span title={formatTime(entry.deployedAt)}>
        {formatAgo(
          entry.deployedAt ? Date.parse(entry.deployedAt) / 1000 : undefined,
        )}
      </span>
      {initiatorText(entry)}
      {sourceText(entry)}
    </li>
  );
}

/** The last ten deploys of an application, as the history request left them. */
export function DeployHistory(props: {
  appName: string;
  state: { loading: boolean; error?: Error; value?: ArgocdHistoryResponse };
}) {
  const { state } = props;
  const history = state.value?.history;
  return (
    <div
      role="region"
      aria-label={`Deploy history of ${props.appName}`}
      style={{
        background: 'var(--bui-bg-neutral-2)',
        padding: 'var(--bui-space-2)',
      }}
    >
      {state.loading && <Loading label="Loading deploy history" />}
      {state.error && <RequestErrorNotice error={state.error} />}
      {history && history.length === 0 && (
        <Text as="p" variant="body-small">
          No deploys recorded.
        </Text>
      )}
      {history && history.length > 0 && (
        <ol
          style={{
            margin: 'var(--bui-space-1) 0',
            paddingLeft: 'var(--bui-space-6)',
          }}
        >
          {history.slice(0, 10).map(h => (
            <HistoryEntry key={h.id} entry={h} />
          ))}
        </ol>
      )}
    </div>
  );
}
