import {
  ActionsBackend,
  startActionsBackend,
} from './__testUtils__/actionsBackend';

/**
 * What holds for every action of the plugin, as the MCP actions backend and the scaffolder see them
 * through Backstage's actions service. Each action's behaviour is tested next to it
 * (`<slice>/actions/<action>.test.ts`, with its examples).
 */
describe('fleet-monitoring actions', () => {
  let backend: ActionsBackend;

  beforeAll(async () => {
    backend = await startActionsBackend({ fleetMonitoring: {}, entities: [] });
  });
  afterAll(() => backend?.stop());
  afterEach(() => backend.allow());

  const list = async () =>
    (await backend.actions.list({ credentials: backend.credentials })).actions;

  it('lists the ten questions, read-only, with JSON schemas and examples', async () => {
    const actions = await list();
    expect(actions.map(a => a.id).sort()).toEqual([
      'fleet-monitoring:get-argocd-state',
      'fleet-monitoring:get-capacity',
      'fleet-monitoring:get-capacity-at-risk',
      'fleet-monitoring:get-cluster-remote-write-health',
      'fleet-monitoring:get-fleet-health',
      'fleet-monitoring:get-metrics-arriving',
      'fleet-monitoring:get-reconciled-fleet',
      'fleet-monitoring:get-thanos-health',
      'fleet-monitoring:get-top-series',
      'fleet-monitoring:lint-fleet-overlays',
    ]);
    for (const a of actions) {
      expect(a.attributes).toMatchObject({
        readOnly: true,
        destructive: false,
      });
      expect(a.schema.input).toMatchObject({ type: 'object' });
      expect(a.schema.output).toMatchObject({ type: 'object' });
      expect(a.examples?.length).toBeGreaterThan(0);
    }
  });

  it('hides the fleet-wide actions from callers without the fleet permission', async () => {
    backend.deny();
    const ids = (await list()).map(a => a.id);
    expect(ids).not.toContain('fleet-monitoring:get-fleet-health');
    expect(ids).not.toContain('fleet-monitoring:get-thanos-health');
    expect(ids).not.toContain('fleet-monitoring:get-capacity-at-risk');
    // The entity actions stay listed: each checks the entity it is asked about.
    expect(ids).toContain('fleet-monitoring:get-argocd-state');
  });
});
