/**
 * Layout of the GitOps repository the scaffolder writes and the lint reads (the reference layout):
 * `deploy/base/<component>/` holds the fleet-wide defaults, `deploy/overlays/<cluster>/<component>/`
 * one cluster's overlay. The directory name is the cluster's name: the tenant and the `cluster`
 * external label are checked against it.
 */

/** The two roles a cluster plays in the fleet. @public */
export type FleetRole = 'edge' | 'central';

/**
 * The component (directory and chart) each role deploys: an edge runs the `prometheus` chart as an
 * agent, a central kube-prometheus-stack plus Thanos Receive.
 * @public
 */
export const FLEET_COMPONENTS = {
  edge: { component: 'prometheus-agent', chart: 'prometheus' },
  central: {
    component: 'kube-prometheus-stack',
    chart: 'kube-prometheus-stack',
  },
} as const;

/** `prometheus-agent` or `kube-prometheus-stack`. @public */
export const componentOf = (role: FleetRole): string =>
  FLEET_COMPONENTS[role].component;

/** `deploy/overlays/<cluster>/<component>` (POSIX separators, repository relative). @public */
export const overlayDir = (cluster: string, role: FleetRole): string =>
  `deploy/overlays/${cluster}/${componentOf(role)}`;

/** `deploy/base/<component>`. @public */
export const baseDir = (role: FleetRole): string =>
  `deploy/base/${componentOf(role)}`;

/** The role of a component directory or chart name, if it is one of ours. */
export function roleOfComponent(name: string): FleetRole | undefined {
  if (name === FLEET_COMPONENTS.edge.component || name === 'prometheus')
    return 'edge';
  if (name === FLEET_COMPONENTS.central.component) return 'central';
  return undefined;
}
