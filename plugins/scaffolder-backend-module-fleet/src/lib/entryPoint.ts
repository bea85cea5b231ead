/**
 * How edge agents reach the central receivers from outside the cluster, and how the entry point knows
 * who writes. Both forms send to the ready-only write Service's remote-write port, never to the
 * headless Service. Thanos Receive checks no credentials itself and takes the tenant from a header the
 * caller sets, so whoever reaches an open entry point writes into any tenant: authentication happens
 * at the ingress (ingress-nginx annotations), and an open endpoint is only ever an explicit choice.
 * - ingress: TLS with a certificate from a Secret; the edges' URL is https://<host>/api/v1/receive;
 *   auth `basic` (htpasswd Secret, key `auth`), `mtls` (client certificates checked against a CA
 *   Secret, key `ca.crt`), `bearer` (ingress-nginx `auth-url`: a service that answers 2xx for a valid
 *   `Authorization: Bearer` header) or `none`.
 * - loadBalancer: a Service of type LoadBalancer on the remote-write port. Nothing on that path can
 *   check credentials or terminate TLS, so it is accepted only with `auth: none` and a stated TLS
 *   choice (`tls: loadBalancer` when the cloud load balancer terminates it from annotations, or
 *   `tls: none`, plain HTTP).
 */
import { InputError } from '@backstage/errors';
import {
  RECEIVE_WRITE_SERVICE,
  THANOS_PORTS,
} from '@fleet-monitoring/plugin-monitoring-common';
import { receiverLabels } from './thanosReceive';

export type EntryPointAuth =
  | { type: 'none' }
  | { type: 'basic'; htpasswdSecretName: string }
  | { type: 'mtls'; clientCaSecretName: string }
  | { type: 'bearer'; authUrl: string };

export type EntryPoint =
  | {
      type: 'ingress';
      namespace: string;
      host: string;
      tlsSecretName: string;
      ingressClassName?: string;
      annotations: Record<string, string>;
      auth: EntryPointAuth;
    }
  | {
      type: 'loadBalancer';
      namespace: string;
      annotations: Record<string, string>;
      auth: { type: 'none' };
      tls: 'loadBalancer' | 'none';
    };

/** The entry point fields of create-central's input, after the schema. */
export type EntryPointInput = {
  type: 'ingress' | 'loadBalancer';
  host?: string;
  tlsSecretName?: string;
  ingressClassName?: string;
  annotations: Record<string, string>;
  auth: 'none' | 'basic' | 'mtls' | 'bearer';
  authSecretName?: string;
  authUrl?: string;
  tls?: 'loadBalancer' | 'none';
};

export const RECEIVE_PATH = '/api/v1/receive';
const NGINX = 'nginx.ingress.kubernetes.io';

/** Checks the combination and builds the entry point; refusals name the fix. */
export function resolveEntryPoint(
  e: EntryPointInput,
  namespace: string,
): EntryPoint {
  if (e.type === 'loadBalancer') {
    if (e.auth !== 'none') {
      throw new InputError(
        `edgeEntryPoint: a LoadBalancer Service cannot check ${e.auth} credentials (Thanos Receive checks none); use type: ingress with auth: ${e.auth}, or auth: none to run an open endpoint on purpose`,
      );
    }
    if (!e.tls) {
      throw new InputError(
        'edgeEntryPoint.tls: a LoadBalancer entry point serves plain HTTP unless the load balancer terminates TLS; say which with tls: loadBalancer (TLS set up by annotations) or tls: none (samples in clear text), or use type: ingress',
      );
    }
    return {
      type: 'loadBalancer',
      namespace,
      annotations: e.annotations,
      auth: { type: 'none' },
      tls: e.tls,
    };
  }
  return {
    type: 'ingress',
    namespace,
    host: e.host!,
    tlsSecretName: e.tlsSecretName!,
    ingressClassName: e.ingressClassName,
    annotations: e.annotations,
    auth: ingressAuth(e),
  };
}

function ingressAuth(e: EntryPointInput): EntryPointAuth {
  const need = (field: 'authSecretName' | 'authUrl', what: string) => {
    const v = e[field];
    if (!v)
      throw new InputError(
        `edgeEntryPoint.${field}: auth ${e.auth} needs ${what}`,
      );
    return v;
  };
  switch (e.auth) {
    case 'basic':
      return {
        type: 'basic',
        htpasswdSecretName: need(
          'authSecretName',
          'the Secret holding the htpasswd file (key `auth`) the ingress checks',
        ),
      };
    case 'mtls':
      return {
        type: 'mtls',
        clientCaSecretName: need(
          'authSecretName',
          'the Secret holding the CA (key `ca.crt`) that signed the edges’ client certificates',
        ),
      };
    case 'bearer':
      return {
        type: 'bearer',
        authUrl: need(
          'authUrl',
          'the URL of a service that answers 2xx for a valid Authorization header (ingress-nginx auth-url)',
        ),
      };
    default:
      return { type: 'none' };
  }
}

/** Whether anyone who reaches the entry point can write (recorded on the catalog entity). */
export const isOpenEntryPoint = (e: EntryPoint) => e.auth.type === 'none';

function authAnnotations(e: EntryPoint): Record<string, string> {
  if (e.type !== 'ingress') return {};
  const a = e.auth;
  if (a.type === 'basic')
    return {
      [`${NGINX}/auth-type`]: 'basic',
      [`${NGINX}/auth-secret`]: a.htpasswdSecretName,
      [`${NGINX}/auth-realm`]: 'Thanos Receive',
    };
  if (a.type === 'mtls')
    return {
      [`${NGINX}/auth-tls-secret`]: `${e.namespace}/${a.clientCaSecretName}`,
      [`${NGINX}/auth-tls-verify-client`]: 'on',
      [`${NGINX}/auth-tls-verify-depth`]: '1',
    };
  if (a.type === 'bearer') return { [`${NGINX}/auth-url`]: a.authUrl };
  return {};
}

export function entryPointManifest(e: EntryPoint): unknown {
  // The user's annotations come first so ours (the authentication) win on a clash.
  const annotations = { ...e.annotations, ...authAnnotations(e) };
  const metadata = (name: string, extra: Record<string, unknown> = {}) => ({
    name,
    namespace: e.namespace,
    ...extra,
    ...(Object.keys(annotations).length ? { annotations } : {}),
  });
  if (e.type === 'ingress') {
    return {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: metadata(RECEIVE_WRITE_SERVICE),
      spec: {
        ...(e.ingressClassName ? { ingressClassName: e.ingressClassName } : {}),
        tls: [{ hosts: [e.host], secretName: e.tlsSecretName }],
        rules: [
          {
            host: e.host,
            http: {
              paths: [
                {
                  path: RECEIVE_PATH,
                  pathType: 'Exact',
                  backend: {
                    service: {
                      name: RECEIVE_WRITE_SERVICE,
                      port: { number: THANOS_PORTS.remoteWrite },
                    },
                  },
                },
              ],
            },
          },
        ],
      },
    };
  }
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata(`${RECEIVE_WRITE_SERVICE}-external`, {
      labels: receiverLabels,
    }),
    spec: {
      type: 'LoadBalancer',
      selector: receiverLabels,
      ports: [
        {
          name: 'remote-write',
          port: THANOS_PORTS.remoteWrite,
          targetPort: 'remote-write',
        },
      ],
    },
  };
}

/** The remote-write URL edges use, when it is known from the manifest alone (Ingress host). */
export function edgeRemoteWriteUrl(e: EntryPoint): string | undefined {
  return e.type === 'ingress' ? `https://${e.host}${RECEIVE_PATH}` : undefined;
}

/** What the edges must send for this entry point, as create-edge's `auth` input type. */
export const edgeAuthType = (e: EntryPoint) => e.auth.type;
