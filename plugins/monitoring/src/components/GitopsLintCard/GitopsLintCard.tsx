import { Flex, Link, Text } from '@backstage/ui';
import {
  CLUSTER_ANNOTATION,
  isRemoteWriteAvailable,
  OVERLAY_LINT_RULES,
  type GitopsLintResponse,
} from '@fleet-monitoring/plugin-monitoring-common';
import {
  EntityHealthCard,
  formatTime,
  SeverityIcon,
  useDocsBaseUrl,
} from '../common';

type Finding = GitopsLintResponse['findings'][number];

const ruleTitle = (rule: string) =>
  OVERLAY_LINT_RULES[rule as keyof typeof OVERLAY_LINT_RULES]?.title ?? rule;

function countsText(lint: GitopsLintResponse): string {
  const { error, warning } = lint.counts;
  return `${error} error${error === 1 ? '' : 's'}, ${warning} warning${warning === 1 ? '' : 's'}`;
}

function FindingItem({
  finding,
  docsBase,
}: {
  finding: Finding;
  docsBase: string;
}) {
  const title = ruleTitle(finding.rule);
  return (
    <li
      data-rule={finding.rule}
      data-severity={finding.severity}
      style={{ padding: 'var(--bui-space-1) 0' }}
    >
      <Flex gap="2" align="start">
        <SeverityIcon
          severity={finding.severity === 'error' ? 'critical' : 'warning'}
        />
        <div>
          <Text as="p">
            {finding.severity === 'error' ? 'Error' : 'Warning'}:{' '}
            <strong>{title}</strong>
          </Text>
          <Text as="p" variant="body-small">
            <code>{finding.path}</code>
          </Text>
          <Text as="p" variant="body-small" color="secondary">
            {finding.message}
          </Text>
          <Link
            href={`${docsBase}${finding.docs}`}
            variant="body-small"
            aria-label={`How to fix: ${title}`}
          >
            How to fix
          </Link>
        </div>
      </Flex>
    </li>
  );
}

/** The lint findings of one cluster's overlays, or that it has none, or that it has no overlay. */
export function GitopsLintDetails({ lint }: { lint: GitopsLintResponse }) {
  const docsBase = useDocsBaseUrl();
  const overlays = lint.overlays.map(o => o.path).join(', ');
  return (
    <>
      <Text as="p" variant="body-small" color="secondary">
        {lint.overlays.length === 0
          ? 'No overlay of this cluster in the GitOps repository (deploy/overlays/<cluster>/<component>).'
          : `${overlays}: ${countsText(lint)}`}
        {` · linted ${formatTime(lint.generatedAt)}`}
      </Text>
      {lint.overlays.length > 0 && lint.findings.length === 0 && (
        <Text as="p">The overlays pass every rule of the lint.</Text>
      )}
      {lint.findings.length > 0 && (
        <ul
          aria-label="Lint findings"
          style={{
            listStyle: 'none',
            padding: 0,
            margin: 'var(--bui-space-2) 0',
          }}
        >
          {lint.findings.map((f, i) => (
            <FindingItem
              key={`${f.rule}-${f.path}-${i}`}
              finding={f}
              docsBase={docsBase}
            />
          ))}
        </ul>
      )}
    </>
  );
}

/**
 * What the overlay lint finds in the entity's cluster's overlays in the GitOps repository (agent
 * flags, identity, tenant, retry on 429, hashring, namespace transformer, self-monitoring), each
 * finding with its file and the handbook section that fixes it.
 */
export function GitopsLintCard() {
  return (
    <EntityHealthCard
      title="GitOps overlay lint"
      subheader="The cluster's overlays in the GitOps repository, checked with the scaffolder's rules"
      isAvailable={isRemoteWriteAvailable}
      annotation={CLUSTER_ANNOTATION}
      load={(api, ref) => api.getGitopsLint(ref)}
      render={lint => <GitopsLintDetails lint={lint} />}
    />
  );
}
