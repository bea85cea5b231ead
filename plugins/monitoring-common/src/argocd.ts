/**
 * ArgoCD: which applications an entity names (annotations compatible with the community ArgoCD
 * plugins), a strict Kubernetes label-selector parser for `argocd/app-selector`, (the shapes of the
 * backend's ArgoCD routes are generated from its OpenAPI document).
 */
import type { Entity } from '@backstage/catalog-model';
import {
  ARGOCD_APP_NAME_ANNOTATION,
  ARGOCD_APP_NAMESPACE_ANNOTATION,
  ARGOCD_APP_SELECTOR_ANNOTATION,
  ARGOCD_INSTANCE_NAME_ANNOTATION,
  ARGOCD_PROJECT_NAME_ANNOTATION,
} from './annotations';

// ---------------------------------------------------------------------------------------------
// Label selectors (k8s.io/apimachinery/pkg/labels grammar, the subset ArgoCD accepts in `selector`)
// ---------------------------------------------------------------------------------------------

/** @public */
export class LabelSelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LabelSelectorError';
  }
}

/** @public */
export type LabelSelectorOperator =
  '=' | '!=' | 'in' | 'notin' | 'exists' | '!';

/** @public */
export interface LabelRequirement {
  key: string;
  operator: LabelSelectorOperator;
  values: string[];
}

const NAME_PART = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function checkKey(key: string): string {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (
    prefix !== undefined &&
    (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))
  ) {
    throw new LabelSelectorError(
      `label key prefix "${prefix}" is not a DNS subdomain`,
    );
  }
  if (!NAME_PART.test(name))
    throw new LabelSelectorError(`"${key}" is not a valid label key`);
  return key;
}

function checkValue(value: string): string {
  if (value !== '' && !NAME_PART.test(value)) {
    throw new LabelSelectorError(`"${value}" is not a valid label value`);
  }
  return value;
}

/** Splits on commas that are not inside `( )`. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (depth < 0) throw new LabelSelectorError('unbalanced ")"');
    if (ch === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else current += ch;
  }
  if (depth !== 0) throw new LabelSelectorError('unbalanced "("');
  terms.push(current);
  return terms.map(t => t.trim());
}

/**
 * Parses a label selector (`a=b,c!=d,e in (f,g),!h,i`). The annotation value may be URL-encoded (as
 * the community plugins document it); it is decoded once first. Throws LabelSelectorError.
 *
 * @public
 */
export function parseLabelSelector(raw: string): LabelRequirement[] {
  let text = raw.trim();
  if (/%[0-9A-Fa-f]{2}/.test(text)) {
    try {
      text = decodeURIComponent(text);
    } catch {
      throw new LabelSelectorError('the selector is not valid URL encoding');
    }
  }
  if (text === '') throw new LabelSelectorError('the selector is empty');
  if (text.length > 1024)
    throw new LabelSelectorError('the selector is longer than 1024 characters');
  return splitTerms(text).map(term => {
    if (term === '')
      throw new LabelSelectorError('empty term (two commas in a row?)');
    let m = /^(\S+?)\s+(in|notin)\s*\(([^()]*)\)$/.exec(term);
    if (m) {
      const values = m[3].split(',').map(v => checkValue(v.trim()));
      if (values.length === 0 || values.every(v => v === '')) {
        throw new LabelSelectorError(`"${term}" needs at least one value`);
      }
      return { key: checkKey(m[1]), operator: m[2] as 'in' | 'notin', values };
    }
    m = /^([^=!\s]+)\s*(==|=|!=)\s*([^=!\s]*)$/.exec(term);
    if (m) {
      return {
        key: checkKey(m[1]),
        operator: m[2] === '!=' ? '!=' : '=',
        values: [checkValue(m[3])],
      };
    }
    m = /^!\s*([^=!\s]+)$/.exec(term);
    if (m) return { key: checkKey(m[1]), operator: '!', values: [] };
    if (/^[^=!\s()]+$/.test(term))
      return { key: checkKey(term), operator: 'exists', values: [] };
    throw new LabelSelectorError(`cannot parse "${term}"`);
  });
}

/**
 * Canonical text of a parsed selector; put it in a URL only through URLSearchParams.
 *
 * @public
 */
export function formatLabelSelector(requirements: LabelRequirement[]): string {
  return requirements
    .map(r => {
      switch (r.operator) {
        case 'exists':
          return r.key;
        case '!':
          return `!${r.key}`;
        case 'in':
        case 'notin':
          return `${r.key} ${r.operator} (${r.values.join(',')})`;
        default:
          return `${r.key}${r.operator}${r.values[0]}`;
      }
    })
    .join(',');
}

/**
 * Whether a set of labels matches a parsed selector.
 *
 * @public
 */
export function matchesLabelSelector(
  labels: Record<string, string> | undefined,
  requirements: LabelRequirement[],
): boolean {
  const l = labels ?? {};
  return requirements.every(r => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.operator) {
      case 'exists':
        return has;
      case '!':
        return !has;
      case '=':
        return has && l[r.key] === r.values[0];
      case '!=':
        return !has || l[r.key] !== r.values[0];
      case 'in':
        return has && r.values.includes(l[r.key]);
      case 'notin':
        return !has || !r.values.includes(l[r.key]);
      default:
        return false;
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Annotations
// ---------------------------------------------------------------------------------------------

/** @public */
export interface ArgocdSelection {
  /** `argocd/app-name`: one application per instance. Wins over the selector when both are set. */
  appName?: string;
  /** `argocd/app-selector`, parsed and re-formatted canonically. */
  selector?: string;
  requirements?: LabelRequirement[];
  /** `argocd/instance-name` (comma list, ordered); undefined means every configured instance. */
  instances?: string[];
  /** `argocd/app-namespace` (apps-in-any-namespace). */
  appNamespace?: string;
  /** `argocd/project-name`. */
  project?: string;
}

const APP_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

function annotation(entity: Entity, key: string): string | undefined {
  const v = entity.metadata.annotations?.[key];
  return v && v.trim() !== '' ? v.trim() : undefined;
}

/**
 * What the entity's ArgoCD annotations ask for, validated. Returns undefined when the entity has
 * neither `argocd/app-name` nor `argocd/app-selector`. Throws LabelSelectorError (or Error with a
 * message naming the annotation) on invalid values.
 *
 * @public
 */
export function argocdSelectionFromEntity(
  entity: Entity,
): ArgocdSelection | undefined {
  const appName = annotation(entity, ARGOCD_APP_NAME_ANNOTATION);
  const rawSelector = annotation(entity, ARGOCD_APP_SELECTOR_ANNOTATION);
  if (!appName && !rawSelector) return undefined;
  if (appName && !APP_NAME.test(appName)) {
    throw new LabelSelectorError(
      `${ARGOCD_APP_NAME_ANNOTATION} "${appName}" is not a valid application name`,
    );
  }
  let requirements: LabelRequirement[] | undefined;
  if (!appName && rawSelector) {
    try {
      requirements = parseLabelSelector(rawSelector);
    } catch (e) {
      throw new LabelSelectorError(
        `${ARGOCD_APP_SELECTOR_ANNOTATION} is not a valid label selector: ${(e as Error).message}`,
      );
    }
  }
  const instances = annotation(entity, ARGOCD_INSTANCE_NAME_ANNOTATION)
    ?.split(',')
    .map(s => s.trim())
    .filter(Boolean);
  const appNamespace = annotation(entity, ARGOCD_APP_NAMESPACE_ANNOTATION);
  const project = annotation(entity, ARGOCD_PROJECT_NAME_ANNOTATION);
  for (const [key, v] of [
    [ARGOCD_APP_NAMESPACE_ANNOTATION, appNamespace],
    [ARGOCD_PROJECT_NAME_ANNOTATION, project],
  ] as const) {
    if (v && !APP_NAME.test(v))
      throw new LabelSelectorError(`${key} "${v}" is not a valid name`);
  }
  return {
    appName,
    selector: requirements ? formatLabelSelector(requirements) : undefined,
    requirements,
    instances:
      instances && instances.length > 0 ? [...new Set(instances)] : undefined,
    appNamespace,
    project,
  };
}
