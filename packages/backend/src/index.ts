/**
 * The dev backend behind `npm start`: auth (guest), catalog, permissions (allow all), scaffolder
 * (with our fleet:* actions and the GitHub module's publish:github:pull-request; templates/new-cluster
 * and templates/drop-series are catalog locations), search over the catalog
 * and the TechDocs handbook (in-memory Lunr engine), TechDocs (serves the handbook that
 * scripts/build-techdocs.mjs builds; `techdocs.builder: external`), the MCP actions backend (exposes
 * the actions plugins register, ours included) and the Fleet Monitoring plugins, on in-memory SQLite.
 * Not a production setup.
 */
import { createBackend } from '@backstage/backend-defaults';

// Output to a closed pipe (the process that started us is gone) is dropped. Unhandled, each EPIPE
// is an uncaught exception whose log line fails again: the process spins at full CPU and its
// SIGTERM shutdown never ends, as `npm start` saw when it exited before the backend.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', () => {});

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
// publish:github:pull-request for the fleet templates; in `npm start` it writes to the demo fleet's
// GitHub API fake (integrations.github in the run's config), never to GitHub.
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(import('@backstage/plugin-techdocs-backend'));
// Search: no search engine configured means Lunr in memory; the collators index the catalog and
// the built handbook (TechDocs' search_index.json, which mkdocs writes).
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(import('@backstage/plugin-search-backend-module-techdocs'));
backend.add(import('@backstage/plugin-mcp-actions-backend'));
backend.add(import('@fleet-monitoring/plugin-monitoring-backend'));
backend.add(import('@fleet-monitoring/plugin-scaffolder-backend-module-fleet'));

// A backend that cannot start (its port taken, a plugin failing) exits with the reason. Left
// unhandled, the rejection is only logged ("Unhandled rejection listen EADDRINUSE") and the process
// stays up without serving; its shutdown then fails with ERR_SERVER_NOT_RUNNING because the HTTP
// server never listened. scripts/start.mjs watches for this line.
backend.start().catch(error => {
  // eslint-disable-next-line no-console
  console.error(`Backend failed to start: ${error?.stack ?? error}`);
  process.exit(1);
});
