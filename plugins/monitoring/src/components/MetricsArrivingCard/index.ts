export {
  MetricsArrivingCard,
  MetricsArrivingDetails,
  MissingMetricsChecklist,
} from './MetricsArrivingCard';
