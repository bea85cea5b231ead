import { Chip } from '@material-ui/core';
import { configApiRef, useApi } from '@backstage/core-plugin-api';

/** A "demo data" label, shown when `fleetMonitoring.demoDataNotice` is set (the local dev app sets it). */
export function DemoNotice() {
  const config = useApi(configApiRef);
  const text = config.getOptionalString('fleetMonitoring.demoDataNotice');
  if (!text) return null;
  return (
    <Chip
      size="small"
      variant="outlined"
      label={text}
      data-testid="demo-notice"
    />
  );
}
