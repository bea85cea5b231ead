import { Flex, Link, Text } from '@backstage/ui';
import type { HealthReason } from '@fleet-monitoring/plugin-monitoring-common';
import { reasonDocsUrl, reasonTitle, useDocsBaseUrl } from './docs';
import { SEVERITY_LABELS, SeverityIcon } from './StateBadge';

/** A reason's next steps: its one-line `hint`, and the list ArgoCD and Kubernetes reasons carry (the FAQ's fixes). */
const hintsOf = (reason: HealthReason): string[] => {
  const r = reason as HealthReason & { hint?: string; hints?: string[] };
  return [...(r.hint ? [r.hint] : []), ...(r.hints ?? [])];
};

/** A hint; one spanning lines (a ready catalog-info.yaml) shows its first line and a block to copy. */
function Hint({ text }: { text: string }) {
  const [first, ...rest] = text.split('\n');
  const block = rest.join('\n').trimEnd();
  return (
    <>
      <Text variant="body-small">{first}</Text>
      {block && (
        <pre
          style={{
            margin: 'var(--bui-space-1) 0',
            padding: 'var(--bui-space-2)',
            background: 'var(--bui-bg-neutral-2)',
            fontSize: '0.85em',
            overflowX: 'auto',
          }}
        >
          {block}
        </pre>
      )}
    </>
  );
}

/**
 * The reasons behind a state, each in words with its severity, its next steps and a link to the
 * troubleshooting section whose anchor is the reason id.
 *
 * @public
 */
export function ReasonList(props: {
  reasons: HealthReason[];
  /** Accessible name of the list; default "Reasons". */
  label?: string;
}) {
  const docsBase = useDocsBaseUrl();
  if (props.reasons.length === 0) return null;
  return (
    <ul
      aria-label={props.label ?? 'Reasons'}
      style={{ listStyle: 'none', padding: 0, margin: 'var(--bui-space-2) 0' }}
    >
      {props.reasons.map((reason, i) => {
        const href = reasonDocsUrl(docsBase, reason.id);
        const hints = hintsOf(reason);
        return (
          <li
            key={`${reason.id}-${i}`}
            data-reason={reason.id}
            style={{ padding: 'var(--bui-space-1) 0' }}
          >
            <Flex gap="2" align="start">
              <SeverityIcon severity={reason.severity} />
              <div>
                <Text as="p">
                  {SEVERITY_LABELS[reason.severity] ?? reason.severity}:{' '}
                  <strong>{reasonTitle(reason.id)}</strong>
                </Text>
                <Text as="p" variant="body-small" color="secondary">
                  {reason.message}
                </Text>
                {hints.length > 0 && (
                  <ol
                    aria-label="Next steps"
                    style={{
                      margin: 'var(--bui-space-1) 0',
                      paddingLeft: 'var(--bui-space-5)',
                    }}
                  >
                    {hints.map(h => (
                      <li key={h}>
                        <Hint text={h} />
                      </li>
                    ))}
                  </ol>
                )}
                {href && (
                  <Link
                    href={href}
                    variant="body-small"
                    aria-label={`How to fix: ${reasonTitle(reason.id)}`}
                  >
                    How to fix
                  </Link>
                )}
              </div>
            </Flex>
          </li>
        );
      })}
    </ul>
  );
}
