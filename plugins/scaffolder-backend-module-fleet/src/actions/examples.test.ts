import YAML from 'yaml';
import { runAction } from '../__testUtils__/context';
import {
  makeTempDir,
  removeDir,
  renderWithKustomize,
} from '../__testUtils__/render';
import { createArgocdApplicationAction } from './createArgocdApplication';
import { examples as argocdExamples } from './createArgocdApplication.examples';
import { createCentralOverlayAction } from './createCentralOverlay';
import { examples as centralExamples } from './createCentralOverlay.examples';
import { createEdgeOverlayAction } from './createEdgeOverlay';
import { examples as edgeExamples } from './createEdgeOverlay.examples';
import { dropSeriesAction } from './dropSeries';
import { examples as dropExamples } from './dropSeries.examples';
import { registerHashringAction } from './registerHashring';
import { examples as registerExamples } from './registerHashring.examples';

/** Every documented example runs for real; overlays it produces must render with kustomize. */
const cases = [
  { action: createEdgeOverlayAction(), examples: edgeExamples, render: true },
  {
    action: createCentralOverlayAction(),
    examples: centralExamples,
    render: true,
  },
  {
    action: registerHashringAction(),
    examples: registerExamples,
    render: true,
    needsCentral: true,
  },
  {
    action: createArgocdApplicationAction(),
    examples: argocdExamples,
    render: false,
  },
  // Edits the overlay create-edge wrote; the rendered agent config must carry the rule.
  {
    action: dropSeriesAction(),
    examples: dropExamples,
    render: true,
    needsEdge: true,
  },
];

describe.each(cases)(
  '$action.id examples',
  ({ action, examples, render, needsCentral, needsEdge }) => {
    it.each(examples.map(e => [e.description, e] as const))(
      '%s',
      async (_d, example) => {
        const ws = makeTempDir();
        try {
          for (const step of YAML.parse(example.example).steps) {
            expect(step.action).toBe(action.id);
            if (needsCentral)
              await runAction(createCentralOverlayAction(), ws, {
                cluster: step.input.centralCluster,
                objectStorage: { secretName: 'thanos-objstore' },
                edgeEntryPoint: {
                  type: 'loadBalancer',
                  auth: 'none',
                  tls: 'none',
                },
              });
            if (needsEdge)
              await runAction(createEdgeOverlayAction(), ws, {
                cluster: step.input.cluster,
                remoteWriteUrl: 'https://receive.example.com/api/v1/receive',
              });
            const { outputs } = await runAction(action, ws, step.input);
            expect(outputs.files.length).toBeGreaterThan(0);
            const rendered = render
              ? renderWithKustomize(ws, outputs.overlayPath)
              : [{ kind: 'not rendered' }];
            expect(rendered.length).toBeGreaterThan(0);
          }
        } finally {
          removeDir(ws);
        }
      },
      60_000,
    );
  },
);
