export { ArgocdCard, ArgocdDetails } from './ArgocdCard';
export { CapacityCard, CapacityDetails } from './CapacityCard';
export { FleetPage, FleetContent } from './FleetPage';
export { KubernetesCard, KubernetesDetails } from './KubernetesCard';
export { GitopsLintCard, GitopsLintDetails } from './GitopsLintCard';
export {
  MetricsArrivingCard,
  MetricsArrivingDetails,
  MissingMetricsChecklist,
} from './MetricsArrivingCard';
export { RemoteWriteCard, RemoteWriteDetails } from './RemoteWriteCard';
export type { RemoteWriteCardProps } from './RemoteWriteCard';
export { ThanosCard, ThanosDetails } from './ThanosCard';
