import { createApp } from '@backstage/frontend-defaults';
import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';
import { SignInPage } from '@backstage/core-components';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import techdocsPlugin from '@backstage/plugin-techdocs/alpha';
import fleetMonitoringPlugin from '@fleet-monitoring/plugin-monitoring/alpha';

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

const app = createApp({
  // TechDocs renders the handbook our cards link to (/docs/default/system/fleet-monitoring/...).
  features: [
    catalogPlugin,
    techdocsPlugin,
    fleetMonitoringPlugin,
    signInModule,
  ],
});

export default app.createRoot();
