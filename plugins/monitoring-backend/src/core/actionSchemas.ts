import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';

/** The zod the actions registry hands to schema factories (its own copy, not necessarily ours). */
type Zod = Parameters<
  Parameters<ActionsRegistryService['register']>[0]['schema']['input']
>[0];

/** Every action of this plugin only reads. */
export const READ_ONLY = {
  readOnly: true,
  destructive: false,
  idempotent: true,
} as const;

/** Output pieces every action shares: a health state and the reasons behind it, with their fixes. */

export const stateSchema = (z: Zod) =>
  z
    .string()
    .describe(
      'Health state: healthy, recovering, degraded, failing, no-data or unknown',
    );

export const reasonsSchema = (z: Zod) =>
  z
    .array(
      z.object({
        id: z
          .string()
          .describe(
            'Reason id; each has a section in the troubleshooting docs',
          ),
        severity: z.string(),
        message: z.string(),
        // The same reason as the card's (value, threshold, hint), not a shorter copy of it.
        value: z.number().optional().describe('The measured value'),
        threshold: z
          .number()
          .optional()
          .describe('The limit the value is judged against'),
        hint: z.string().optional().describe('One line on what to do about it'),
        hints: z
          .array(z.string())
          .optional()
          .describe('Concrete next steps, in order'),
      }),
    )
    .describe('Why the state is what it is');

export const upstreamErrorSchema = (z: Zod) =>
  z
    .object({ upstream: z.string(), kind: z.string(), message: z.string() })
    .describe('The upstream that could not answer, and why');

export const entityRefSchema = (z: Zod) =>
  z
    .string()
    .min(3)
    .max(512)
    .describe(
      'Catalog entity reference, e.g. "resource:default/cluster-02-edge" or "component:default/checkout"',
    );

/** Input of the fleet-wide actions: which Thanos Query instance to ask. */
export const instanceInputSchema = (z: Zod) =>
  z.object({
    instance: z
      .string()
      .optional()
      .describe(
        'Thanos instance name (fleetMonitoring.thanos); the first one when omitted',
      ),
  });
