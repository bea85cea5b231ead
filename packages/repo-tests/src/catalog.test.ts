import fs from 'node:fs';
import path from 'node:path';
import {
  DefaultNamespaceEntityPolicy,
  Entity,
  EntityPolicies,
  FieldFormatEntityPolicy,
  KindValidator,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  domainEntityV1alpha1Validator,
  groupEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
  parseEntityRef,
  resourceEntityV1alpha1Validator,
  stringifyEntityRef,
  systemEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
} from '@backstage/catalog-model';
import {
  ARGOCD_INSTANCE_NAME_ANNOTATION,
  METRICS_SELECTOR_ANNOTATION,
  THANOS_SELECTOR_ANNOTATION,
  clusterFromEntity,
  isArgocdAvailable,
  isMetricsArrivingAvailable,
  isRemoteWriteAvailable,
  isThanosAvailable,
  metricsSelectorFromEntity,
  parseSelector,
  thanosComponentFromEntity,
  thanosSelectorFromEntity,
} from '@fleet-monitoring/plugin-monitoring-common';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from './repo';

/** catalog-info.yaml at the root, plus any YAML file under examples/. */
function catalogFiles(): string[] {
  const files = [path.join(repoRoot, 'catalog-info.yaml')];
  const examples = path.join(repoRoot, 'examples');
  if (fs.existsSync(examples)) {
    for (const f of fs.readdirSync(examples).sort()) {
      if (/\.ya?ml$/.test(f)) files.push(path.join(examples, f));
    }
  }
  return files;
}

function loadEntities(file: string): Entity[] {
  const docs = parseAllDocuments(fs.readFileSync(file, 'utf8'));
  return docs.map((doc, i) => {
    if (doc.errors.length > 0) {
      throw new Error(
        `${file} document ${i + 1}: ${doc.errors.map(e => e.message).join('; ')}`,
      );
    }
    return doc.toJS() as Entity;
  });
}

const files = catalogFiles();
const entities = files.flatMap(loadEntities);
const refOf = (e: Entity) => stringifyEntityRef(e).toLocaleLowerCase('en-US');
const byRef = new Map(entities.map(e => [refOf(e), e]));
const byName = (kind: string, name: string) =>
  byRef.get(
    stringifyEntityRef({ kind, namespace: 'default', name }).toLocaleLowerCase(
      'en-US',
    ),
  );

const policy = EntityPolicies.allOf([
  new DefaultNamespaceEntityPolicy(),
  new FieldFormatEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new SchemaValidEntityPolicy(),
]);

const kindValidators: KindValidator[] = [
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  domainEntityV1alpha1Validator,
  groupEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
  resourceEntityV1alpha1Validator,
  systemEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
];

const label = (e: Entity) => `${e?.kind}:${e?.metadata?.name}`;

/** A relation field's value as a list: absent -> none, a single ref -> one. */
function asList(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  return value === undefined ? [] : [value];
}

describe('catalog-info.yaml', () => {
  it('parses into entities', () => {
    expect(entities.length).toBeGreaterThanOrEqual(15);
  });

  it('has no duplicate entity refs', () => {
    expect(byRef.size).toBe(entities.length);
  });

  describe.each(entities.map(e => [label(e), e] as const))(
    '%s',
    (_name, entity) => {
      it('passes the catalog entity policies', async () => {
        // enforce() throws with a message naming the offending field.
        await expect(
          policy.enforce(structuredClone(entity)),
        ).resolves.toBeDefined();
      });

      it('is accepted by the validator of its kind', async () => {
        const results = await Promise.all(
          kindValidators.map(v => v.check(structuredClone(entity))),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
      });

      it('only points its relations at entities defined here', () => {
        const spec = (entity.spec ?? {}) as Record<string, unknown>;
        const refs: Array<[string, string, string]> = [];
        const add = (field: string, value: unknown, defaultKind?: string) => {
          for (const v of asList(value)) {
            const ref = parseEntityRef(String(v), {
              defaultKind,
              defaultNamespace: 'default',
            });
            refs.push([
              field,
              String(v),
              stringifyEntityRef(ref).toLocaleLowerCase('en-US'),
            ]);
          }
        };
        add('owner', spec.owner, 'group');
        add('system', spec.system, 'system');
        add('domain', spec.domain, 'domain');
        add('subcomponentOf', spec.subcomponentOf, 'component');
        add('dependsOn', spec.dependsOn);
        add('dependencyOf', spec.dependencyOf);
        add('providesApis', spec.providesApis, 'api');
        add('consumesApis', spec.consumesApis, 'api');
        add('parent', spec.parent, 'group');
        add('children', spec.children, 'group');
        add('memberOf', spec.memberOf, 'group');
        const dangling = refs
          .filter(([, , ref]) => !byRef.has(ref))
          .map(([f, v]) => `${f}: ${v}`);
        expect(dangling).toEqual([]);
      });

      it('has selector annotations that parse', () => {
        const values = [METRICS_SELECTOR_ANNOTATION, THANOS_SELECTOR_ANNOTATION]
          .map(key => entity.metadata.annotations?.[key])
          .filter((value): value is string => value !== undefined);
        for (const value of values) {
          expect(() => parseSelector(value)).not.toThrow();
        }
      });
    },
  );

  it('describes the plugin set as a System with this repository as TechDocs source', () => {
    const system = byName('System', 'fleet-monitoring');
    expect(system).toBeDefined();
    expect(system!.metadata.annotations?.['backstage.io/techdocs-ref']).toBe(
      'dir:.',
    );
  });

  it('has a Component in the fleet-monitoring System for every package of the workspace', () => {
    // Package directory -> catalog Component. A new plugin directory without an entry fails here.
    const expected: Record<string, string> = {
      'plugins/monitoring-common': 'fleet-monitoring-common',
      'plugins/monitoring-backend': 'fleet-monitoring-backend',
      'plugins/monitoring': 'fleet-monitoring-frontend',
      'plugins/scaffolder-backend-module-fleet':
        'fleet-monitoring-scaffolder-actions',
      'packages/local-fleet': 'fleet-monitoring-local-fleet',
    };
    const pluginDirs = fs
      .readdirSync(path.join(repoRoot, 'plugins'))
      .filter(d =>
        fs.existsSync(path.join(repoRoot, 'plugins', d, 'package.json')),
      )
      .map(d => `plugins/${d}`);
    expect(pluginDirs.filter(d => !(d in expected))).toEqual([]);
    for (const [dir, name] of Object.entries(expected)) {
      const component = byName('Component', name);
      expect(component).toBeDefined();
      expect(component!.spec?.system).toBe('system:default/fleet-monitoring');
      const pkg = JSON.parse(
        fs.readFileSync(path.join(repoRoot, dir, 'package.json'), 'utf8'),
      );
      // The title names the npm package, so people can find the code from the catalog.
      expect(component!.metadata.title).toBe(pkg.name);
    }
  });

  it.each([['cluster-01-central'], ['cluster-02-edge'], ['cluster-03-edge']])(
    'has the cluster Resource %s with the annotations the remote-write and ArgoCD cards need',
    name => {
      const cluster = byName('Resource', name)!;
      expect(cluster).toBeDefined();
      expect(clusterFromEntity(cluster)).toBe(name);
      expect(isRemoteWriteAvailable(cluster)).toBe(true);
      expect(isArgocdAvailable(cluster)).toBe(true);
      expect(
        cluster.metadata.annotations?.[ARGOCD_INSTANCE_NAME_ANNOTATION],
      ).toBe('demo');
    },
  );

  it('has Thanos receive and query Components the Thanos card can use', () => {
    const receive = byName('Component', 'thanos-receive')!;
    expect(thanosComponentFromEntity(receive)).toBe('receive');
    expect(thanosSelectorFromEntity(receive)).toBe('job="thanos-receive"');
    expect(parseSelector(thanosSelectorFromEntity(receive)!)).toEqual([
      { name: 'job', op: '=', value: 'thanos-receive' },
    ]);
    const query = byName('Component', 'thanos-query')!;
    expect(thanosComponentFromEntity(query)).toBe('query');
    for (const c of [receive, query]) {
      expect(isThanosAvailable(c)).toBe(true);
      expect(isArgocdAvailable(c)).toBe(true);
      expect(c.metadata.annotations?.[ARGOCD_INSTANCE_NAME_ANNOTATION]).toBe(
        'demo',
      );
    }
  });

  it('has the checkout service with a metrics selector for namespace shop', () => {
    const checkout = byName('Component', 'checkout')!;
    expect(isMetricsArrivingAvailable(checkout)).toBe(true);
    expect(parseSelector(metricsSelectorFromEntity(checkout)!)).toEqual([
      { name: 'job', op: '=', value: 'checkout' },
      { name: 'namespace', op: '=', value: 'shop' },
    ]);
  });

  it('defines every owner as a Group', () => {
    const owners = entities
      .map(e => (e.spec as any)?.owner)
      .filter((o): o is string => typeof o === 'string');
    expect(owners.length).toBeGreaterThan(0);
    for (const owner of owners) {
      const ref = parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: 'default',
      });
      expect(ref.kind.toLocaleLowerCase('en-US')).toBe('group');
    }
  });
});

describe('catalog checks can fail', () => {
  it('rejects an entity with a bad name and a dangling owner', async () => {
    const bad: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'Not a valid name!' },
      spec: {
        type: 'service',
        lifecycle: 'production',
        owner: 'group:default/nobody',
      },
    };
    await expect(policy.enforce(bad)).rejects.toThrow();
    expect(byRef.has('group:default/nobody')).toBe(false);
  });

  it('rejects a selector that could inject PromQL', () => {
    expect(() => parseSelector('job="x"} or vector(1) {')).toThrow();
  });
});
