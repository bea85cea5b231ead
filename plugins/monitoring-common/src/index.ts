/**
 * Shared by the Fleet Monitoring frontend and backend plugins.
 *
 * @packageDocumentation
 */
export * from './annotations';
export * from './permissions';
export * from './health';
export * from './schema/openapi';
export * from './client';
export * from './promql';
export * from './argocd';
export * from './kubernetes';
export * from './names';
export * from './upstreamMetrics';
export * from './hiddenCharacters';
