/**
 * Plans a whole fleet (one central, its edges) in memory, the way the template's steps would write it
 * into a repository, without a scaffolder context: for tests that run what we generate (the loop
 * test derives the central Prometheus' scrape config from `serviceMonitors` and starts agents from
 * each edge's `values.server`). Inputs are the actions' inputs and are validated the same way.
 */
import YAML from 'yaml';
import {
  centralInputSchema,
  CREATE_CENTRAL_ID,
  CreateCentralInput,
} from '../actions/createCentralOverlay';
import {
  CREATE_EDGE_ID,
  CreateEdgeInput,
  edgeInputSchema,
} from '../actions/createEdgeOverlay';
import { parseInput } from '../lib/actionSchema';
import { memoryReader } from '../lib/workspace';
import {
  CENTRAL_FILES,
  CentralPlan,
  planCentralOverlay,
} from './centralOverlay';
import { EdgePlan, planEdgeOverlay } from './edgeOverlay';

/** What planFleet returns. @public */
export type FleetPlan = {
  /** Every planned file: workspace relative path to content (later plans see earlier files). */
  files: Map<string, string>;
  central: CentralPlan & {
    /** The generated ServiceMonitor objects (monitoring.coreos.com/v1), parsed. */
    serviceMonitors: any[];
    /** Every object of the central's own manifests (receivers, Query, entry point, monitors), parsed. */
    manifests: any[];
  };
  edges: EdgePlan[];
};

/**
 * Plans a central and its edges in memory. `opts.existing` holds files already in the repository
 * (a tuned `deploy/base/.../values.yaml`, a hashrings.json), as the template would have fetched them.
 * @public
 */
export async function planFleet(opts: {
  central: CreateCentralInput;
  edges: CreateEdgeInput[];
  existing?: Record<string, string>;
}): Promise<FleetPlan> {
  const files = new Map(Object.entries(opts.existing ?? {}));
  const add = (planned: { path: string; content: string }[]) =>
    planned.forEach(f => files.set(f.path, f.content));

  const central = await planCentralOverlay(
    memoryReader(files),
    parseInput(centralInputSchema, opts.central, CREATE_CENTRAL_ID),
  );
  add(central.files);
  const edges: EdgePlan[] = [];
  for (const edgeInput of opts.edges) {
    const edge = await planEdgeOverlay(
      memoryReader(files),
      parseInput(edgeInputSchema, edgeInput, CREATE_EDGE_ID),
    );
    add(edge.files);
    edges.push(edge);
  }
  const docs = (name: string) =>
    YAML.parseAllDocuments(files.get(`${central.overlayPath}/${name}`) ?? '')
      .map(d => d.toJSON())
      .filter(Boolean);
  const manifests = [
    CENTRAL_FILES.receivers,
    CENTRAL_FILES.query,
    CENTRAL_FILES.entryPoint,
    CENTRAL_FILES.serviceMonitors,
  ].flatMap(docs);
  return {
    files,
    central: {
      ...central,
      serviceMonitors: docs(CENTRAL_FILES.serviceMonitors),
      manifests,
    },
    edges,
  };
}
