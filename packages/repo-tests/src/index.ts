/**
 * Repository-level checks for Fleet Monitoring (docs and catalog). Only tests live here.
 *
 * @packageDocumentation
 */
export { repoRoot } from './repo';
