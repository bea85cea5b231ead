/**
 * @deprecated The new-frontend-system plugin is now the package's default export: import
 * `@fleet-monitoring/plugin-monitoring` instead. Kept so apps that imported `/alpha` keep working.
 *
 * @packageDocumentation
 */
export { default } from './plugin';
export * from './plugin';
