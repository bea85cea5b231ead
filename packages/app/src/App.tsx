import { createApp } from '@backstage/frontend-defaults';
import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';
import { SignInPage } from '@backstage/core-components';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import searchPlugin from '@backstage/plugin-search/alpha';
import techdocsPlugin from '@backstage/plugin-techdocs/alpha';
import fleetMonitoringPlugin from '@fleet-monitoring/plugin-monitoring';

/** Guest sign-in (the backend runs the guest auth provider); signs in without a click. */
const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [
    SignInPageBlueprint.make({
      params: {
        loader: async () => props => (
          <SignInPage {...props} auto providers={['guest']} />
        ),
      },
    }),
  ],
});

/**
 * The whole product in one app: the catalog with our entity cards, the fleet page, TechDocs (the
 * handbook our cards link to, /docs/default/system/fleet-monitoring/...), the scaffolder with our
 * "new cluster" template (/create; dry-run it at /create/edit) and search over the catalog and the
 * handbook (/search).
 */
const app = createApp({
  features: [
    catalogPlugin,
    techdocsPlugin,
    scaffolderPlugin,
    searchPlugin,
    fleetMonitoringPlugin,
    signInModule,
  ],
});

export default app.createRoot();
