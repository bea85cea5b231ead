import { Cell, CellText, Flex, Link } from '@backstage/ui';
import type { HealthReason } from '@fleet-monitoring/plugin-monitoring-common';
import { MISSING, reasonDocsUrl, reasonTitle, useDocsBaseUrl } from '../common';

/** A table cell listing reasons by title, each linking its handbook section, its message on hover. */
export function ReasonLinks({ reasons }: { reasons: HealthReason[] }) {
  const docsBase = useDocsBaseUrl();
  if (reasons.length === 0) return <CellText title={MISSING} />;
  return (
    <Cell>
      <Flex direction="column" gap="0.5">
        {reasons.map(r => (
          <Link
            key={r.id}
            href={reasonDocsUrl(docsBase, r.id) ?? docsBase}
            title={r.message}
            variant="body-small"
          >
            {reasonTitle(r.id)}
          </Link>
        ))}
      </Flex>
    </Cell>
  );
}
