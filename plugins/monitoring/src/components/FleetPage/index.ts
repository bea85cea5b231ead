export { FleetPage, LegacyFleetPage } from './FleetPage';
export { FleetContent } from './FleetContent';
