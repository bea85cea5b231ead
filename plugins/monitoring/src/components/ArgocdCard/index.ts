export { ArgocdCard, ArgocdDetails } from './ArgocdCard';
