import { ReactNode } from 'react';
import { Flex, Text } from '@backstage/ui';
import type { HealthState } from '@fleet-monitoring/plugin-monitoring-common';
import { StateBadge } from './StateBadge';

/** The first line of every card: the state (icon and word) and what it is about. */
export function StateHeader(props: {
  state: HealthState;
  children: ReactNode;
  /** Shown after the subject, e.g. the demo-data notice. */
  extra?: ReactNode;
}) {
  return (
    <Flex align="center" gap="2" style={{ flexWrap: 'wrap' }}>
      <StateBadge state={props.state} size="large" />
      <Text as="span" variant="body-small" color="secondary">
        {props.children}
      </Text>
      {props.extra}
    </Flex>
  );
}
