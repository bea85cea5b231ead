import type { ReactNode } from 'react';
// MUI only for the icon: @backstage/ui ships no icon set of its own.
import RefreshIcon from '@material-ui/icons/Refresh';
import {
  ButtonIcon,
  Flex,
  Select,
  Text,
  ToggleButton,
  ToggleButtonGroup,
} from '@backstage/ui';
import type { InstancesResponse } from '@fleet-monitoring/plugin-monitoring-common';
import {
  DemoNotice,
  LiveStatus,
  Loading,
  RefreshFailedBanner,
  RequestErrorNotice,
} from '../common';
import type { ClusterLink } from './clusterLink';
import type { FleetMode } from './fleetView';
import type { useFleetView } from './useFleetView';

const TITLES: Record<FleetMode, string> = {
  'remote-write': 'Remote-write health of every cluster',
  reconciled:
    'Every cluster reconciled: catalog, GitOps, ArgoCD, remote write, Receive, pods',
};

/** Heading, view switch, instance picker and refresh button. */
export function FleetToolbar(props: {
  mode: FleetMode;
  onMode: (mode: FleetMode) => void;
  instances: InstancesResponse['thanos'];
  instance: string | undefined;
  onInstance: (name: string) => void;
  onRefresh: () => void;
  loading: boolean;
  fetchedAt?: number;
}) {
  return (
    <Flex justify="between" align="end" style={{ flexWrap: 'wrap' }} gap="3">
      <Flex direction="column" gap="2">
        <Text as="h2" variant="title-small">
          {TITLES[props.mode]}
        </Text>
        <ToggleButtonGroup
          aria-label="View"
          selectionMode="single"
          disallowEmptySelection
          selectedKeys={[props.mode]}
          onSelectionChange={keys => {
            const [mode] = [...(keys as Set<string>)];
            if (mode && mode !== props.mode) props.onMode(mode as FleetMode);
          }}
        >
          <ToggleButton id="remote-write" size="small">
            Remote write
          </ToggleButton>
          <ToggleButton id="reconciled" size="small">
            Reconciled
          </ToggleButton>
        </ToggleButtonGroup>
      </Flex>
      <Flex align="end" gap="2">
        <DemoNotice />
        <LiveStatus fetchedAt={props.fetchedAt} what="the fleet" />
        {props.instances.length > 1 && (
          <Select
            label="Thanos instance"
            options={props.instances.map(n => ({
              id: n.name,
              label: n.title ?? n.name,
            }))}
            selectedKey={props.instance}
            onSelectionChange={key => key && props.onInstance(String(key))}
          />
        )}
        <ButtonIcon
          aria-label="Refresh fleet"
          variant="secondary"
          icon={<RefreshIcon fontSize="small" />}
          onPress={props.onRefresh}
          isDisabled={props.loading}
        />
      </Flex>
    </Flex>
  );
}

/** What a fleet view shows around its table: the request's loading and error states. */
export function FleetRequestStates<T>(props: {
  request: { loading: boolean; error?: Error; value?: T; fetchedAt?: number };
  shown: unknown;
  children: ReactNode;
}) {
  const { request, shown } = props;
  return (
    <>
      {request.loading && !shown && <Loading label="Loading the fleet" />}
      {request.error && !request.value && (
        <RequestErrorNotice error={request.error} />
      )}
      {request.error && request.value && (
        <RefreshFailedBanner fetchedAt={request.fetchedAt} />
      )}
      {shown && !(request.error && !request.value) && props.children}
    </>
  );
}

/** The props every fleet view gets from the page. */
export interface FleetViewProps {
  instances: InstancesResponse['thanos'];
  instance: string | undefined;
  fleetView: ReturnType<typeof useFleetView>;
  clusterLink: ClusterLink;
  onMode: (mode: FleetMode) => void;
}
