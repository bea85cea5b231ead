import { z } from 'zod/v3';

/** Inputs several actions share. */
export const tenantInput = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/,
    'tenant must be 1-63 letters, digits, _ . or -',
  )
  .optional()
  .describe(
    'Thanos tenant (THANOS-TENANT header); defaults to the cluster name',
  );

export const regionInput = z
  .string()
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    'region must be lower-case letters, digits and -',
  )
  .max(63)
  .optional()
  .describe('Region, added as the `region` external label');

export const externalLabelsInput = z
  .record(
    z
      .string()
      .regex(
        /^[a-zA-Z_][a-zA-Z0-9_]*$/,
        'label names must match [a-zA-Z_][a-zA-Z0-9_]*',
      ),
    z.string().max(1024),
  )
  .default({})
  .describe(
    'Extra external labels; `cluster` is always set from the cluster name',
  );
