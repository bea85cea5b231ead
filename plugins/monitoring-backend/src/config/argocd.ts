import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { ArgocdInstanceConfig, ArgocdSettings } from './types';
import {
  readBaseUrl,
  readCa,
  readName,
  readNumber,
  requireUniqueNames,
} from './validators';

function readInstance(c: Config): ArgocdInstanceConfig {
  const name = readName(c, 'fleetMonitoring.argocd');
  const where = `fleetMonitoring.argocd[${name}]`;
  const url = readBaseUrl(c.getString('url'), `${where}.url`);
  const uiRaw = c.getOptionalString('uiUrl');
  const token = c.getOptionalString('token');
  const username = c.getOptionalString('username');
  const password = c.getOptionalString('password');
  let auth: ArgocdInstanceConfig['auth'];
  if (token) auth = { type: 'token', token };
  else if (username && password)
    auth = { type: 'password', username, password };
  else
    throw new InputError(
      `${where} needs either token or username and password`,
    );
  return {
    name,
    title: c.getOptionalString('title'),
    url,
    uiUrl: uiRaw ? readBaseUrl(uiRaw, `${where}.uiUrl`) : url,
    auth,
    ca: readCa(c, where),
    timeoutMs: readNumber(c, 'timeoutMs', 10_000, where, { positive: true }),
    maxResponseBytes: readNumber(
      c,
      'maxResponseBytes',
      32 * 1024 * 1024,
      where,
      { positive: true },
    ),
    selectorPolicy: {
      requiredLabels:
        c.getOptionalStringArray('selectorPolicy.requiredLabels') ?? [],
      requireProject:
        c.getOptionalBoolean('selectorPolicy.requireProject') ?? false,
    },
  };
}

/** `fleetMonitoring.argocd[]` and `fleetMonitoring.argocdOptions`. */
export function readArgocdSettings(fm: Config | undefined): ArgocdSettings {
  const instances = (fm?.getOptionalConfigArray('argocd') ?? []).map(
    readInstance,
  );
  requireUniqueNames(instances, 'fleetMonitoring.argocd');
  return {
    instances,
    maxSyncWindowChecks: readNumber(
      fm?.getOptionalConfig('argocdOptions'),
      'maxSyncWindowChecks',
      5,
      'fleetMonitoring.argocdOptions',
    ),
  };
}
