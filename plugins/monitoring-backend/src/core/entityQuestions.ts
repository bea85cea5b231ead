import type { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  ARGOCD_APP_NAME_ANNOTATION,
  ARGOCD_APP_SELECTOR_ANNOTATION,
  argocdSelectionFromEntity,
  ArgocdSelection,
  checkLabelValue,
  clusterFromEntity,
  CLUSTER_ANNOTATION,
  hiddenCharacterProblem,
  KUBERNETES_NAMESPACE_ANNOTATION,
  LabelMatcher,
  LabelSelectorError,
  METRICS_SELECTOR_ANNOTATION,
  OPEN_WRITE_ENDPOINT_ANNOTATION,
  metricsSelectorFromEntity,
  parseSelector,
  SelectorError,
  thanosComponentFromEntity,
  THANOS_COMPONENT_ANNOTATION,
  thanosInstanceFromEntity,
  thanosSelectorFromEntity,
} from '@fleet-monitoring/plugin-monitoring-common';

/**
 * What an entity's annotations ask, checked once for routes and actions alike: a missing or
 * malformed annotation is an InputError (400) that names the annotation and gives an example.
 */

/** Default selector of a Thanos component's own series when the entity gives none (the mixin's). */
export const DEFAULT_THANOS_SELECTOR = {
  receive: 'job=~".*thanos-receive.*"',
  query: 'job=~".*thanos-query.*"',
} as const;

function selectorFrom(annotation: string, value: string): LabelMatcher[] {
  try {
    return parseSelector(value);
  } catch (e) {
    if (e instanceof SelectorError) {
      throw new InputError(
        `Annotation ${annotation} is not a valid label selector: ${e.message}`,
      );
    }
    throw e;
  }
}

/**
 * Annotations we read must read as they compare: a bidi control, an invisible character or a
 * look-alike letter in one is a 400 naming the annotation and the character (a look-alike cluster
 * name would otherwise sit next to the real one).
 */
function refuseHiddenCharacters(entity: Entity): void {
  for (const [name, value] of Object.entries(
    entity.metadata.annotations ?? {},
  )) {
    if (!/^(fleet-monitoring\.io|argocd|backstage\.io\/kubernetes)/.test(name))
      continue;
    const problem = hiddenCharacterProblem(value);
    if (problem)
      throw new InputError(
        `Annotation ${name} ${problem}; type the value again without it`,
      );
  }
}

function requireAnnotation<T>(
  value: T | undefined,
  annotation: string,
  example: string,
): T {
  if (value === undefined) {
    throw new InputError(
      `Entity has no ${annotation} annotation; add e.g. "${annotation}: ${example}"`,
    );
  }
  return value;
}

/**
 * The cluster an entity names (`fleet-monitoring.io/cluster`), checked once for every question that
 * needs it: missing, or not usable as a label value, is a 400 that says how to fix it.
 */
export function clusterQuestion(entity: Entity): string {
  refuseHiddenCharacters(entity);
  const value = requireAnnotation(
    clusterFromEntity(entity),
    CLUSTER_ANNOTATION,
    'cluster-02-edge',
  );
  try {
    return checkLabelValue(value, 'the cluster name');
  } catch (e) {
    if (!(e instanceof SelectorError)) throw e;
    throw new InputError(
      `Annotation ${CLUSTER_ANNOTATION} is not a usable cluster name: ${e.message}. ` +
        `Set it to the value of the agent's cluster external label, e.g. "${CLUSTER_ANNOTATION}: cluster-02-edge".`,
    );
  }
}

/** A cluster entity's remote-write question: which Thanos instance, which (validated) cluster. */
export function remoteWriteQuestion(entity: Entity): {
  instance?: string;
  cluster: string;
  /** The central's edge entry point was scaffolded without authentication (`auth: none`). */
  openWriteEndpoint: boolean;
} {
  return {
    instance: thanosInstanceFromEntity(entity),
    cluster: clusterQuestion(entity),
    openWriteEndpoint:
      entity.metadata.annotations?.[OPEN_WRITE_ENDPOINT_ANNOTATION] === 'true',
  };
}

const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** A cluster or Thanos entity's Kubernetes question: which cluster, and optionally which namespace. */
export function kubernetesQuestion(entity: Entity): {
  cluster: string;
  namespace?: string;
} {
  const cluster = clusterQuestion(entity);
  const namespace =
    entity.metadata.annotations?.[KUBERNETES_NAMESPACE_ANNOTATION]?.trim() ||
    undefined;
  if (namespace && !NAMESPACE.test(namespace))
    throw new InputError(
      `Annotation ${KUBERNETES_NAMESPACE_ANNOTATION} "${namespace}" is not a namespace name`,
    );
  return { cluster, namespace };
}

/** A Thanos component entity's question: which component, selected by which series. */
export function thanosQuestion(entity: Entity): {
  instance?: string;
  component: 'receive' | 'query';
  selector: LabelMatcher[];
} {
  refuseHiddenCharacters(entity);
  const component = requireAnnotation(
    thanosComponentFromEntity(entity),
    THANOS_COMPONENT_ANNOTATION,
    'receive',
  );
  return {
    instance: thanosInstanceFromEntity(entity),
    component,
    selector: selectorFrom(
      'fleet-monitoring.io/thanos-selector',
      thanosSelectorFromEntity(entity) ?? DEFAULT_THANOS_SELECTOR[component],
    ),
  };
}

/** A service entity's "are its metrics arriving" question: which series. */
export function metricsArrivingQuestion(entity: Entity): {
  instance?: string;
  selector: LabelMatcher[];
} {
  refuseHiddenCharacters(entity);
  const raw = requireAnnotation(
    metricsSelectorFromEntity(entity),
    METRICS_SELECTOR_ANNOTATION,
    'job="checkout"',
  );
  const selector = selectorFrom(METRICS_SELECTOR_ANNOTATION, raw);
  refuseWideningSelector(selector);
  return { instance: thanosInstanceFromEntity(entity), selector };
}

/**
 * A metrics selector can only narrow what the plugin reads with its own credentials: it must pin at
 * least one label to a value (`job="checkout"`), and may name metrics only by equality. A negative-only
 * selector (`app!=""`) or a metric-name regex (`__name__=~".+"`) would count every series of every
 * cluster. Each refusal is a 400 naming the annotation and the rule.
 */
function refuseWideningSelector(selector: LabelMatcher[]): void {
  const regexName = selector.find(m => m.name === '__name__' && m.op !== '=');
  if (regexName)
    throw new InputError(
      `Annotation ${METRICS_SELECTOR_ANNOTATION} may select metric names only with "=" (found __name__${regexName.op}); name the service's series by a label instead, e.g. job="checkout"`,
    );
  if (!selector.some(m => m.op === '=' && m.value !== ''))
    throw new InputError(
      `Annotation ${METRICS_SELECTOR_ANNOTATION} must pin at least one label to a value (e.g. job="checkout"): negative or regex-only matchers would select every cluster's series`,
    );
}

/** Which ArgoCD applications the entity names (`argocd/app-name` or `argocd/app-selector`). */
export function argocdQuestion(entity: Entity): ArgocdSelection {
  refuseHiddenCharacters(entity);
  let selection: ArgocdSelection | undefined;
  try {
    selection = argocdSelectionFromEntity(entity);
  } catch (e) {
    if (e instanceof LabelSelectorError) throw new InputError(e.message);
    throw e;
  }
  if (!selection) {
    throw new InputError(
      `Entity has neither ${ARGOCD_APP_NAME_ANNOTATION} nor ${ARGOCD_APP_SELECTOR_ANNOTATION}; add e.g. "${ARGOCD_APP_SELECTOR_ANNOTATION}: app.kubernetes.io/part-of=fleet"`,
    );
  }
  // The plugin lists applications with its own credentials: a selector must narrow (`app!=` or
  // `app` alone would list every application of the instance).
  if (
    selection.requirements &&
    !selection.requirements.some(r => r.operator === '=' || r.operator === 'in')
  ) {
    throw new InputError(
      `Annotation ${ARGOCD_APP_SELECTOR_ANNOTATION} must pin at least one label to a value (e.g. app.kubernetes.io/instance=cluster-02-edge): negative or existence-only requirements would list every application`,
    );
  }
  return selection;
}
