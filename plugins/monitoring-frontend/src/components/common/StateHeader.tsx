import { ReactNode } from 'react';
import { makeStyles, Typography } from '@material-ui/core';
import type { HealthState } from '@fleet-monitoring/plugin-monitoring-common';
import { StateBadge } from './StateBadge';

const useStyles = makeStyles(theme => ({
  header: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    flexWrap: 'wrap',
  },
}));

/** The first line of every card: the state (icon and word) and what it is about. */
export function StateHeader(props: {
  state: HealthState;
  children: ReactNode;
  /** Shown after the subject, e.g. the demo-data notice. */
  extra?: ReactNode;
}) {
  const classes = useStyles();
  return (
    <div className={classes.header}>
      <StateBadge state={props.state} variant="h6" />
      <Typography variant="body2" color="textSecondary">
        {props.children}
      </Typography>
      {props.extra}
    </div>
  );
}
