import {
  baseDir,
  componentOf,
  FleetRole,
  MONITORING_NAMESPACE,
  overlayDir,
  TENANT_HEADER,
} from '@fleet-monitoring/plugin-monitoring-common';
import { z } from 'zod/v3';

/**
 * Names, paths and input schemas shared by every action: one place per concept.
 */

/** Kubernetes DNS-1123 label: lower-case alphanumerics and '-', starting and ending alphanumeric, <= 63 chars. */
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export const dnsLabel = (what: string) =>
  z
    .string()
    .min(1, `${what} must not be empty`)
    .max(63, `${what} must be at most 63 characters (DNS-1123 label)`)
    .regex(
      DNS1123_LABEL,
      `${what} must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit`,
    );

export const clusterName = dnsLabel('cluster name');
export const namespaceName = dnsLabel('namespace');

/** A Kubernetes Secret name (DNS-1123 subdomain). */
export const secretName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a Kubernetes Secret name')
  .max(253);

/** A key inside a Secret. */
export const secretKey = z
  .string()
  .regex(/^[-._a-zA-Z0-9]+$/, 'must be a Secret key')
  .max(253);

/** A DNS host name (lower case), e.g. receive.example.com. */
export const hostName = z
  .string()
  .max(253)
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
    'must be a lower-case DNS host name such as receive.example.com',
  );

/** Kubernetes annotations (values are free text). */
export const annotations = z
  .record(
    z
      .string()
      .max(316)
      .regex(
        /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/,
        'annotation keys must be [prefix/]name',
      ),
    z.string().max(4096),
  )
  .default({});

/** Kubernetes labels (keys [prefix/]name, values up to 63 characters): at least one. */
export const kubernetesLabels = z
  .record(
    z
      .string()
      .max(316)
      .regex(
        /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/,
        'label keys must be [prefix/]name',
      ),
    z
      .string()
      .max(63)
      .regex(
        /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/,
        'label values must be letters, digits, - _ . (at most 63)',
      ),
  )
  .refine(l => Object.keys(l).length > 0, 'give at least one label');

/**
 * A Thanos Store API address as `--endpoint` and `--endpoint.sd-config` take it: host:port, or a
 * `dns+`/`dnssrv+` name resolved by Thanos.
 */
export const storeApiAddress = z
  .string()
  .max(300)
  .regex(
    /^(dns\+|dnssrv\+|dnssrvnoa\+)?[A-Za-z0-9_]([-A-Za-z0-9_.]*[A-Za-z0-9])?(:[0-9]{1,5})?$/,
    'must be host:port or dnssrv+<SRV name>',
  );

/** http(s) URL only: file:, javascript:, ftp: and the like are refused. */
export const httpUrl = z
  .string()
  .url('must be an absolute URL')
  .refine(v => {
    try {
      return /^https?:$/.test(new URL(v).protocol);
    } catch {
      return false;
    }
  }, 'only http and https URLs are allowed');

/**
 * Kubernetes quantity for memory, e.g. 512Mi, 2Gi, 1G, 1500M, 1e9. The milli suffix `m` is refused:
 * `512m` is half a byte, almost always a typo for 512Mi.
 */
export const memoryQuantity = z
  .string()
  .regex(
    /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+|Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/,
    'must be a Kubernetes memory quantity such as 512Mi or 2Gi',
  );

/** A chart version: plain semver, no path characters. */
export const chartVersion = z
  .string()
  .regex(
    /^v?[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/,
    'must be a semantic version such as 25.11.0',
  );

/** An absolute file path inside the pod (CA file, password file, token file): no '..' segments. */
export const podFilePath = z
  .string()
  .regex(/^\/[^\0]*$/, 'must be an absolute path inside the pod')
  .refine(v => !v.split('/').includes('..'), "must not contain '..' segments");

/** An RE2 regular expression for Prometheus relabelling; checked with the JS engine as far as it can. */
export const metricNameRegex = z
  .string()
  .min(1)
  .refine(v => {
    try {
      // eslint-disable-next-line no-new
      new RegExp(`^(?:${v})$`);
      return true;
    } catch {
      return false;
    }
  }, 'must be a valid regular expression');

/** The layout of the GitOps repository has one home: common's overlay lint reads the same paths. */
export type Role = FleetRole;
export const ROLES: readonly Role[] = ['edge', 'central'];

export const DEFAULT_NAMESPACE = MONITORING_NAMESPACE;
export { TENANT_HEADER, componentOf, overlayDir, baseDir };

/**
 * Name of the ArgoCD Application (and its file) syncing one overlay: `<cluster>-<component>`, e.g.
 * `cluster-02-edge-prometheus-agent`; one per overlay, and no role appended to a name that has one.
 */
export const appName = (cluster: string, role: Role) =>
  `${cluster}-${componentOf(role)}`;
