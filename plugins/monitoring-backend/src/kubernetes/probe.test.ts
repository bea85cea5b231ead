import { KubeConfig, CoreV1Api } from '@kubernetes/client-node';
it('loads', () => {
  const kc = new KubeConfig();
  kc.loadFromOptions({ clusters: [{ name: 'c', server: 'http://127.0.0.1:1', skipTLSVerify: false }], users: [{ name: 'u', token: 't' }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x' });
  expect(kc.makeApiClient(CoreV1Api)).toBeDefined();
});
