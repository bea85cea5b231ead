import { Container } from '@backstage/ui';
// The legacy page frame (Page/Header/Content, MUI inside) only for legacy apps: in the new frontend
// system the PageBlueprint draws the header.
import { Content, Header, Page } from '@backstage/core-components';
import { useClusterLink, useLegacyClusterLink } from './clusterLink';
import { FleetContent } from './FleetContent';

/**
 * The fleet page of the new frontend system (the PageBlueprint draws its header). It navigates
 * through the app's routing APIs only, so it needs no React Router adapter.
 */
export function FleetPage() {
  const clusterLink = useClusterLink();
  return (
    <Container py="4">
      <FleetContent clusterLink={clusterLink} />
    </Container>
  );
}

/** The fleet page of the legacy frontend system, with Backstage's page header. */
export function LegacyFleetPage(props: { title?: string }) {
  const clusterLink = useLegacyClusterLink();
  return (
    <Page themeId="tool">
      <Header
        title={props.title ?? 'Fleet monitoring'}
        subtitle="Prometheus agents → Thanos Receive"
      />
      <Content>
        <FleetContent clusterLink={clusterLink} />
      </Content>
    </Page>
  );
}
