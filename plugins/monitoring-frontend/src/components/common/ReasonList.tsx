import {
  List,
  ListItem,
  ListItemIcon,
  ListItemText,
  makeStyles,
} from '@material-ui/core';
import { Link } from '@backstage/core-components';
import type { HealthReason } from '@fleet-monitoring/plugin-monitoring-common';
import { reasonDocsUrl, reasonTitle, useDocsBaseUrl } from './docs';
import { SEVERITY_LABELS, SeverityIcon } from './StateBadge';

const useStyles = makeStyles(theme => ({
  icon: { minWidth: theme.spacing(4) },
  item: { paddingLeft: 0, paddingRight: 0 },
  hints: { margin: theme.spacing(0.5, 0), paddingLeft: theme.spacing(2.5) },
}));

/** Reasons may carry concrete next steps (ArgoCD's do). */
const hintsOf = (reason: HealthReason): string[] =>
  (reason as HealthReason & { hints?: string[] }).hints ?? [];

/**
 * The reasons behind a state, each in words with its severity and a link to the troubleshooting
 * section whose anchor is the reason id.
 */
export function ReasonList(props: {
  reasons: HealthReason[];
  dense?: boolean;
}) {
  const classes = useStyles();
  const docsBase = useDocsBaseUrl();
  if (props.reasons.length === 0) return null;
  return (
    <List dense={props.dense ?? true} aria-label="Reasons" disablePadding>
      {props.reasons.map((reason, i) => {
        const href = reasonDocsUrl(docsBase, reason.id);
        return (
          <ListItem
            key={`${reason.id}-${i}`}
            className={classes.item}
            data-reason={reason.id}
          >
            <ListItemIcon className={classes.icon}>
              <SeverityIcon severity={reason.severity} />
            </ListItemIcon>
            <ListItemText
              primary={
                <>
                  <span>
                    {SEVERITY_LABELS[reason.severity] ?? reason.severity}:{' '}
                  </span>
                  <strong>{reasonTitle(reason.id)}</strong>
                </>
              }
              secondaryTypographyProps={{ component: 'div' }}
              secondary={
                <>
                  {reason.message}
                  {hintsOf(reason).length > 0 && (
                    <ul className={classes.hints} aria-label="Next steps">
                      {hintsOf(reason).map(h => (
                        <li key={h}>{h}</li>
                      ))}
                    </ul>
                  )}
                  {href && (
                    <>
                      {' '}
                      <Link
                        to={href}
                        aria-label={`How to fix: ${reasonTitle(reason.id)}`}
                      >
                        How to fix
                      </Link>
                    </>
                  )}
                </>
              }
            />
          </ListItem>
        );
      })}
    </List>
  );
}
