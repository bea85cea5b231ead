import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { z } from 'zod/v3';
import { parseInput, toActionSchema } from '../lib/actionSchema';
import { readWorkspaceFile } from '../lib/files';
import { readCentralReceivers } from '../lib/centralReceivers';
import {
  hashringProblems,
  parseHashringFile,
  registerTenant,
  unknownEndpoints,
} from '../lib/hashring';
import { clusterName, overlayDir } from '../lib/names';
import { commonOutput, writeAndReport } from '../lib/actionOutput';
import { HASHRING_FILE } from '../lib/thanosReceive';
import { toJson } from '../lib/yaml';
import { examples } from './registerHashring.examples';

/** @public */
export const REGISTER_HASHRING_ID = 'fleet:hashring:register';

const endpoint = z.union([
  z.string().regex(/^[A-Za-z0-9.-]+:[0-9]{1,5}$/, 'endpoint must be host:port'),
  z.object({
    address: z
      .string()
      .regex(/^[A-Za-z0-9.-]+:[0-9]{1,5}$/, 'address must be host:port'),
    az: z.string().min(1).max(63).optional(),
  }),
]);

const inputShape = {
  centralCluster: clusterName.describe(
    'Central cluster whose overlay holds hashrings.json',
  ),
  tenant: z
    .string()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/,
      'tenant must be 1-63 letters, digits, _ . or -',
    )
    .describe('Tenant to route (the THANOS-TENANT value the cluster sends)'),
  hashring: z
    .string()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/,
      'hashring name must be 1-63 letters, digits, _ . or -',
    )
    .optional()
    .describe('Hashring to route the tenant to; defaults to the tenant name'),
  endpoints: z
    .array(endpoint)
    .optional()
    .describe(
      "Receiver gRPC endpoints when the hashring has to be created (each one of the central's receivers); defaults to all receivers the central overlay deploys",
    ),
  algorithm: z
    .enum(['hashmod', 'ketama'])
    .optional()
    .describe(
      "Algorithm of a newly created hashring; defaults to the receivers' --receive.hashrings-algorithm",
    ),
};
const inputSchema = z.object(inputShape);
export type RegisterHashringInput = z.input<typeof inputSchema>;

/**
 * fleet:hashring:register: routes a tenant in the central overlay's Thanos Receive hashring file.
 *
 * @public
 */
export function registerHashringAction() {
  return createTemplateAction({
    id: REGISTER_HASHRING_ID,
    description:
      'Registers a tenant in deploy/overlays/<central>/kube-prometheus-stack/hashrings.json (Thanos Receive hashring, consumed by a configMapGenerator), checked against the receivers that overlay deploys (count, replication factor, algorithm): refuses a file Thanos would refuse; keeps existing entries and order; idempotent',
    examples,
    supportsDryRun: true,
    schema: {
      input: toActionSchema(inputShape),
      output: toActionSchema({
        ...commonOutput,
        changed: z.boolean().describe('Whether the hashring file changed'),
      }),
    },
    // The explicit return type keeps TypeScript from inferring through the whole action (TS2589).
    async handler(ctx): Promise<void> {
      const input = parseInput(inputSchema, ctx.input, REGISTER_HASHRING_ID);
      const overlayPath = overlayDir(input.centralCluster, 'central');
      const file = `${overlayPath}/${HASHRING_FILE}`;
      const text = await readWorkspaceFile(ctx.workspacePath, file);
      if (text === undefined) {
        throw new InputError(
          `${file} does not exist; create the central overlay first (fleet:overlay:create-central) or check the cluster name`,
        );
      }
      const existing = parseHashringFile(text, file);
      const receivers = await readCentralReceivers(
        ctx.workspacePath,
        overlayPath,
      );
      const unknown = unknownEndpoints(input.endpoints ?? [], receivers);
      if (unknown.length) {
        throw new InputError(
          `endpoint(s) ${unknown.join(', ')} are not receivers of ${input.centralCluster}; its overlay deploys ${receivers.replicas}: ${receivers.endpoints.join(', ')} (omit endpoints to use all of them)`,
        );
      }
      const result = registerTenant(existing, {
        hashring: input.hashring ?? input.tenant,
        tenant: input.tenant,
        endpoints: input.endpoints ?? receivers.endpoints,
        algorithm: input.algorithm,
      });
      const problems = hashringProblems(result.hashrings, receivers);
      if (problems.length) {
        throw new InputError(
          `refusing to write ${file}: ${problems.join('; ')}`,
        );
      }
      result.notes.forEach(n => ctx.logger.info(n));
      await writeAndReport(ctx, {
        key: `${REGISTER_HASHRING_ID}:${input.centralCluster}:${input.tenant}`,
        // Unchanged content: writeFiles sees identical bytes and leaves the file alone.
        files: result.changed
          ? [{ path: file, content: toJson(result.hashrings) }]
          : [],
        // Changing this existing file is the action's job (after validating it), so no overwrite guard.
        overwrite: true,
        overlayPath,
        warnings: [],
      });
      ctx.output('changed', result.changed);
    },
  });
}
