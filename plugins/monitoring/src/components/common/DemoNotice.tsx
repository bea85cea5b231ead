import { Badge } from '@backstage/ui';
import { configApiRef, useApi } from '@backstage/core-plugin-api';

/** A "demo data" label, shown when `fleetMonitoring.demoDataNotice` is set (the local dev app sets it). */
export function DemoNotice() {
  const config = useApi(configApiRef);
  const text = config.getOptionalString('fleetMonitoring.demoDataNotice');
  if (!text) return null;
  return (
    <Badge size="small" data-testid="demo-notice">
      {text}
    </Badge>
  );
}
