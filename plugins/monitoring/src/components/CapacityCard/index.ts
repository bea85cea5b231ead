export { CapacityCard, CapacityDetails, forecastText } from './CapacityCard';
export { isCapacityAvailable } from './available';
