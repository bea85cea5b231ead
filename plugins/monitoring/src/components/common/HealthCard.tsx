import { ReactNode } from 'react';
// MUI only for the icon: @backstage/ui ships no icon set of its own.
import RefreshIcon from '@material-ui/icons/Refresh';
import {
  ButtonIcon,
  Card,
  CardBody,
  CardHeader,
  Flex,
  Text,
} from '@backstage/ui';

/** A Backstage UI card with a title, a subtitle and a keyboard-reachable refresh button. */
export function HealthCard(props: {
  title: string;
  subheader?: ReactNode;
  onRefresh?: () => void;
  refreshing?: boolean;
  /** Beside the refresh button: the age of the answer and the live-update switch. */
  status?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Card
      aria-label={props.title}
      data-testid="fleet-monitoring-card"
      style={{ height: '100%' }}
    >
      <CardHeader>
        <Flex justify="between" align="center">
          <div>
            <Text as="h2" variant="title-small">
              {props.title}
            </Text>
            {props.subheader && (
              <Text as="p" variant="body-small" color="secondary">
                {props.subheader}
              </Text>
            )}
          </div>
          <Flex align="center" gap="1">
            {props.status}
            {props.onRefresh && (
              <ButtonIcon
                aria-label={`Refresh ${props.title}`}
                variant="tertiary"
                icon={<RefreshIcon fontSize="small" />}
                onPress={props.onRefresh}
                isDisabled={props.refreshing}
              />
            )}
          </Flex>
        </Flex>
      </CardHeader>
      <CardBody>{props.children}</CardBody>
    </Card>
  );
}

/** What a card or page shows while its request runs. */
export function Loading(props: { label?: string }) {
  return (
    <div role="progressbar" aria-label={props.label ?? 'Loading'}>
      <Text color="secondary" variant="body-small">
        {props.label ?? 'Loading'}…
      </Text>
    </div>
  );
}
