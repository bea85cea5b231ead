export { KubernetesCard, KubernetesDetails } from './KubernetesCard';
