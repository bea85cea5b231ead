import type { UpstreamErrorKind } from '@fleet-monitoring/plugin-monitoring-common';

/**
 * A non-2xx answer of the Fleet Monitoring backend, with the parts of Backstage's error body
 * (`{error: {name, message}}`) a card needs to explain it.
 */
export class FleetMonitoringError extends Error {
  /** HTTP status of the answer (0 when the backend could not be reached). */
  readonly status: number;
  /** Error name from the body, e.g. `InputError`, `NotFoundError`, `NotAllowedError`. */
  readonly errorName: string;
  readonly upstream?: string;
  readonly kind?: UpstreamErrorKind;

  constructor(options: {
    message: string;
    status: number;
    errorName: string;
    upstream?: string;
    kind?: UpstreamErrorKind;
  }) {
    super(options.message);
    this.name = 'FleetMonitoringError';
    this.status = options.status;
    this.errorName = options.errorName;
    this.upstream = options.upstream;
    this.kind = options.kind;
  }

  /** Reads Backstage's error body when there is one, the status text otherwise. */
  static async fromResponse(response: Response): Promise<FleetMonitoringError> {
    let name = `HTTP ${response.status}`;
    let message =
      response.statusText || `Request failed with status ${response.status}`;
    let upstream: string | undefined;
    let kind: UpstreamErrorKind | undefined;
    try {
      const text = await response.text();
      try {
        const body = JSON.parse(text);
        if (body?.error?.message) {
          message = String(body.error.message);
          name = String(body.error.name ?? name);
          upstream = body.error.upstream;
          kind = body.error.kind;
        }
      } catch {
        if (text.trim()) message = text.trim().slice(0, 500);
      }
    } catch {
      // no body
    }
    return new FleetMonitoringError({
      message,
      status: response.status,
      errorName: name,
      upstream,
      kind,
    });
  }
}

export function isFleetMonitoringError(e: unknown): e is FleetMonitoringError {
  return e instanceof FleetMonitoringError;
}
