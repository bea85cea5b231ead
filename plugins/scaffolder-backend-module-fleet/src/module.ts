import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createArgocdApplicationAction } from './actions/createArgocdApplication';
import { createCentralOverlayAction } from './actions/createCentralOverlay';
import { createEdgeOverlayAction } from './actions/createEdgeOverlay';
import { dropSeriesAction } from './actions/dropSeries';
import { lintOverlaysAction } from './actions/lintOverlays';
import { registerHashringAction } from './actions/registerHashring';

/**
 * Scaffolder module adding the Fleet Monitoring actions (fleet:*).
 *
 * @public
 */
export const scaffolderModuleFleet = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'fleet-monitoring',
  register({ registerInit }) {
    registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        // fleetMonitoring.thanos[]: where the drop-series action counts what it removes.
        config: coreServices.rootConfig,
      },
      async init({ scaffolder, config }) {
        scaffolder.addActions(
          createEdgeOverlayAction(),
          createCentralOverlayAction(),
          registerHashringAction(),
          createArgocdApplicationAction(),
          lintOverlaysAction(),
          dropSeriesAction({ config }),
        );
      },
    });
  },
});
