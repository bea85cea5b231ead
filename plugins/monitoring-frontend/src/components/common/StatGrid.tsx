import { ReactNode } from 'react';
import { makeStyles, Typography } from '@material-ui/core';

const useStyles = makeStyles(theme => ({
  grid: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(140px, 1fr))',
    gap: theme.spacing(1.5),
    margin: theme.spacing(1, 0, 2),
  },
  term: {
    color: theme.palette.text.secondary,
    fontSize: theme.typography.caption.fontSize,
  },
  value: {
    margin: 0,
    fontSize: theme.typography.body1.fontSize,
    fontWeight: 500,
  },
}));

/** A definition list laid out as a grid of labelled numbers. */
export function StatGrid(props: {
  items: Array<{ label: string; value: ReactNode; title?: string }>;
}) {
  const classes = useStyles();
  return (
    <dl className={classes.grid}>
      {props.items.map(item => (
        <div key={item.label} title={item.title}>
          <dt className={classes.term}>{item.label}</dt>
          <dd className={classes.value}>
            <Typography component="span">{item.value}</Typography>
          </dd>
        </div>
      ))}
    </dl>
  );
}
