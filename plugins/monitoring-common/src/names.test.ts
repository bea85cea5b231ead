import {
  HASHRING_CONFIGMAP,
  HASHRING_KEY,
  RECEIVE_NAME,
  RECEIVE_SELECTOR,
  RECEIVE_WRITE_SERVICE,
  receiverEndpoint,
  THANOS_PORTS,
} from './names';

describe('shared names', () => {
  it('keeps the hashring ConfigMap the docs and the Kubernetes view name', () => {
    // Docs (troubleshooting/kubernetes, kustomize patterns) and config.d.ts name these literally.
    expect(HASHRING_CONFIGMAP).toBe('thanos-receive-hashring');
    expect(HASHRING_KEY).toBe('hashrings.json');
  });

  it('builds the endpoint the receiver announces as --receive.local-endpoint', () => {
    // The StatefulSet passes $(POD_NAME).<service>.$(POD_NAMESPACE).svc.cluster.local:<grpc>.
    expect(receiverEndpoint('observability', 2)).toBe(
      `${RECEIVE_NAME}-2.${RECEIVE_NAME}.observability.svc.cluster.local:${THANOS_PORTS.grpc}`,
    );
    expect(THANOS_PORTS).toEqual({
      grpc: 10901,
      http: 10902,
      remoteWrite: 19291,
    });
  });

  it('selects receiver pods by the label the generated manifests carry, and writes to a different Service', () => {
    expect(RECEIVE_SELECTOR).toBe(`app.kubernetes.io/name=${RECEIVE_NAME}`);
    expect(RECEIVE_WRITE_SERVICE).not.toBe(RECEIVE_NAME);
  });
});
