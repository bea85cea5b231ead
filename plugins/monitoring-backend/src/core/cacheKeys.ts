/**
 * Every key this plugin stores answers under, with one version prefix: bump it when the shape of any
 * stored answer changes, so replicas of the old and new code never read each other's answers.
 */
const PREFIX = 'fleet-monitoring:v4';

/** Key of one cached answer: the question's name, then what makes it distinct (JSON-encoded parts). */
export function cacheKey(question: string, ...parts: unknown[]): string {
  return [
    PREFIX,
    question,
    ...parts.map(p => (typeof p === 'string' ? p : JSON.stringify(p))),
  ].join(':');
}
