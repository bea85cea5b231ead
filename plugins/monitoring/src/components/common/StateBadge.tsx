// MUI is used here only for the icons: @backstage/ui ships no icon set of its own.
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import WarningIcon from '@material-ui/icons/Warning';
import ErrorIcon from '@material-ui/icons/Error';
import RemoveCircleOutlineIcon from '@material-ui/icons/RemoveCircleOutline';
import HelpOutlineIcon from '@material-ui/icons/HelpOutline';
import UpdateIcon from '@material-ui/icons/Update';
import { Text } from '@backstage/ui';
import type {
  HealthState,
  ReasonSeverity,
} from '@fleet-monitoring/plugin-monitoring-common';

/** Words for every state; the badge always shows them next to the icon, never colour alone. */
export const STATE_LABELS: Record<HealthState, string> = {
  healthy: 'Healthy',
  recovering: 'Recovering',
  degraded: 'Degraded',
  failing: 'Failing',
  'no-data': 'No data',
  unknown: 'Unknown',
};

/** Backstage UI's status colours (CSS variables of @backstage/ui/css/styles.css). */
export const STATE_COLOR: Record<HealthState, string> = {
  healthy: 'var(--bui-fg-positive)',
  recovering: 'var(--bui-fg-announcement)',
  degraded: 'var(--bui-fg-warning)',
  failing: 'var(--bui-fg-negative)',
  'no-data': 'var(--bui-fg-secondary)',
  unknown: 'var(--bui-fg-secondary)',
};

export function StateIcon({ state }: { state: HealthState }) {
  const props = {
    fontSize: 'small' as const,
    'aria-hidden': true,
    style: { color: STATE_COLOR[state] ?? STATE_COLOR.unknown },
  };
  switch (state) {
    case 'healthy':
      return <CheckCircleIcon {...props} />;
    case 'degraded':
      return <WarningIcon {...props} />;
    case 'failing':
      return <ErrorIcon {...props} />;
    case 'no-data':
      return <RemoveCircleOutlineIcon {...props} />;
    case 'recovering':
      return <UpdateIcon {...props} />;
    default:
      return <HelpOutlineIcon {...props} />;
  }
}

/**
 * Icon + word for a health state.
 *
 * @public
 */
export function StateBadge(props: {
  state: HealthState;
  size?: 'small' | 'large';
  /** Text instead of the state's word, e.g. an upstream's own status (`Synced`). */
  label?: string;
}) {
  const state = props.state in STATE_LABELS ? props.state : 'unknown';
  return (
    <span
      data-state={state}
      style={{
        display: 'inline-flex',
        alignItems: 'center',
        gap: 'var(--bui-space-1)',
        verticalAlign: 'middle',
      }}
    >
      <StateIcon state={state} />
      <Text
        as="span"
        weight="bold"
        variant={props.size === 'large' ? 'title-x-small' : 'body-medium'}
      >
        {props.label ?? STATE_LABELS[state]}
      </Text>
    </span>
  );
}

export const SEVERITY_STATE: Record<ReasonSeverity, HealthState> = {
  critical: 'failing',
  warning: 'degraded',
  info: 'unknown',
};

export const SEVERITY_LABELS: Record<ReasonSeverity, string> = {
  critical: 'Critical',
  warning: 'Warning',
  info: 'Info',
};

export function SeverityIcon({ severity }: { severity: ReasonSeverity }) {
  return <StateIcon state={SEVERITY_STATE[severity] ?? 'unknown'} />;
}
