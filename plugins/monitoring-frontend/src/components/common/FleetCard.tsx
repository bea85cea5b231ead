import { ReactNode } from 'react';
import { IconButton } from '@material-ui/core';
import RefreshIcon from '@material-ui/icons/Refresh';
import { InfoCard } from '@backstage/core-components';

/** InfoCard with a keyboard-reachable refresh button. */
export function FleetCard(props: {
  title: string;
  subheader?: ReactNode;
  onRefresh?: () => void;
  refreshing?: boolean;
  children: ReactNode;
}) {
  return (
    <InfoCard
      title={props.title}
      subheader={props.subheader}
      variant="gridItem"
      action={
        props.onRefresh && (
          <IconButton
            aria-label={`Refresh ${props.title}`}
            title="Refresh"
            onClick={props.onRefresh}
            disabled={props.refreshing}
          >
            <RefreshIcon />
          </IconButton>
        )
      }
    >
      {props.children}
    </InfoCard>
  );
}
