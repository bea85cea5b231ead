import { missingBecause, ownerName, sourceStatusOf } from './reconcileSources';

describe('reconcile sources', () => {
  it('says why a source has no value, and only when it did not answer', () => {
    const sources = [
      { source: 'gitops' as const, status: 'failed' as const },
      { source: 'argocd' as const, status: 'ok' as const },
    ];
    expect(missingBecause(sourceStatusOf(sources, 'gitops'))).toBe(
      'Unknown: the source could not be read',
    );
    expect(missingBecause(sourceStatusOf(sources, 'argocd'))).toBeUndefined();
    // A source the answer does not list was not consulted.
    expect(missingBecause(sourceStatusOf(sources, 'kubernetes'))).toBe(
      'Not configured',
    );
  });

  it('names owners as people say them', () => {
    expect(ownerName('group:default/platform-team')).toBe('platform-team');
    expect(ownerName('platform-team')).toBe('platform-team');
    expect(ownerName('user:default/alice')).toBe('user:alice');
    expect(ownerName('group:ops/sre')).toBe('ops/sre');
    expect(ownerName('group:default/')).toBe('group:default/');
  });
});
