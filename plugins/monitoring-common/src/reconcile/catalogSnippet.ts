import { CLUSTER_ANNOTATION } from '../annotations';

/**
 * A ready catalog-info.yaml for a cluster that sends metrics but has no catalog Resource (the
 * hint of `reconcile-not-in-catalog`): a Resource of type kubernetes-cluster carrying the cluster
 * annotation, owner left for the reader to fill in. The name is the cluster label value, which is
 * a valid entity name when it is a DNS-1123 label (the scaffolder's rule for cluster names).
 * @public
 */
export function catalogInfoSnippet(cluster: string): string {
  const name = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(cluster)
    ? cluster
    : cluster
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 63) || 'cluster';
  return [
    'apiVersion: backstage.io/v1alpha1',
    'kind: Resource',
    'metadata:',
    `  name: ${name}`,
    '  annotations:',
    `    ${CLUSTER_ANNOTATION}: ${JSON.stringify(cluster)}`,
    'spec:',
    '  type: kubernetes-cluster',
    '  owner: <team>',
    '',
  ].join('\n');
}
