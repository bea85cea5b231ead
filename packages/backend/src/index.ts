/**
 * The dev backend behind `npm start`: auth (guest), catalog, permissions (allow all), scaffolder,
 * TechDocs (serves the handbook that scripts/build-techdocs.mjs builds; `techdocs.builder: external`)
 * and the Fleet Monitoring plugins, on in-memory SQLite. Not a production setup.
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@backstage/plugin-permission-backend-module-allow-all-policy'),
);
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-techdocs-backend'));
backend.add(import('@fleet-monitoring/plugin-monitoring-backend'));
backend.add(import('@fleet-monitoring/plugin-scaffolder-backend-module-fleet'));

backend.start();
