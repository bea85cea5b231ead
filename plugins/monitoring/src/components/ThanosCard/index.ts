export { ThanosCard, ThanosDetails } from './ThanosCard';
