export { RemoteWriteCard, RemoteWriteDetails } from './RemoteWriteCard';
export type { RemoteWriteCardProps } from './RemoteWriteCard';
