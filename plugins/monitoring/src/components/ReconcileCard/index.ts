export { ReconcileCard, ReconcileDetails } from './ReconcileCard';
export { isReconcileAvailable } from './available';
