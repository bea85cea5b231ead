import {
  DEMO_GITOPS_FILES,
  DEMO_GITOPS_INPUTS,
} from '@fleet-monitoring/local-fleet';
import { planFleet } from './fleet';

/**
 * The demo GitOps repository (local-fleet's DEMO_GITOPS_FILES, served by the demo's GitHub fake)
 * is what our actions write for its inputs. When the writers change, this fails and prints the
 * files to paste into packages/local-fleet/src/demoGitops.ts.
 */
describe('the demo GitOps repository', () => {
  it('holds exactly what planFleet writes for its inputs', async () => {
    const plan = await planFleet(DEMO_GITOPS_INPUTS as any);
    const planned = Object.fromEntries([...plan.files].sort());
    if (JSON.stringify(planned) !== JSON.stringify(DEMO_GITOPS_FILES)) {
      // eslint-disable-next-line no-console
      console.log(
        `DEMO_GITOPS_FILES to paste:\n${JSON.stringify(planned, null, 2)}`,
      );
    }
    expect(DEMO_GITOPS_FILES).toEqual(planned);
  });
});
