import { makeStyles, Typography } from '@material-ui/core';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import WarningIcon from '@material-ui/icons/Warning';
import ErrorIcon from '@material-ui/icons/Error';
import RemoveCircleOutlineIcon from '@material-ui/icons/RemoveCircleOutline';
import HelpOutlineIcon from '@material-ui/icons/HelpOutline';
import type {
  HealthState,
  ReasonSeverity,
} from '@fleet-monitoring/plugin-monitoring-common';

/** Words for every state; the badge always shows them next to the icon, never colour alone. */
export const STATE_LABELS: Record<HealthState, string> = {
  healthy: 'Healthy',
  degraded: 'Degraded',
  failing: 'Failing',
  'no-data': 'No data',
  unknown: 'Unknown',
};

const useStyles = makeStyles(theme => ({
  root: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    verticalAlign: 'middle',
  },
  healthy: { color: theme.palette.success?.main ?? '#2e7d32' },
  degraded: { color: theme.palette.warning?.main ?? '#ed6c02' },
  failing: { color: theme.palette.error.main },
  'no-data': { color: theme.palette.text.secondary },
  unknown: { color: theme.palette.text.secondary },
  label: { fontWeight: 600 },
}));

function StateIcon({
  state,
  className,
}: {
  state: HealthState;
  className?: string;
}) {
  const props = { className, fontSize: 'small' as const, 'aria-hidden': true };
  switch (state) {
    case 'healthy':
      return <CheckCircleIcon {...props} />;
    case 'degraded':
      return <WarningIcon {...props} />;
    case 'failing':
      return <ErrorIcon {...props} />;
    case 'no-data':
      return <RemoveCircleOutlineIcon {...props} />;
    default:
      return <HelpOutlineIcon {...props} />;
  }
}

/** Icon + word for a health state. */
export function StateBadge(props: {
  state: HealthState;
  variant?: 'body1' | 'body2' | 'h6';
  /** Text instead of the state's word, e.g. an upstream's own status (`Synced`). */
  label?: string;
}) {
  const classes = useStyles();
  const state = props.state in STATE_LABELS ? props.state : 'unknown';
  return (
    <span className={classes.root} data-state={state}>
      <StateIcon state={state} className={classes[state]} />
      <Typography
        component="span"
        variant={props.variant ?? 'body2'}
        className={classes.label}
      >
        {props.label ?? STATE_LABELS[state]}
      </Typography>
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
  const classes = useStyles();
  const state = SEVERITY_STATE[severity] ?? 'unknown';
  return <StateIcon state={state} className={classes[state]} />;
}
