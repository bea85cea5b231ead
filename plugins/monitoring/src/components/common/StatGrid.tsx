import { ReactNode } from 'react';
import { Text } from '@backstage/ui';

/** A definition list laid out as a grid of labelled numbers. */
export function StatGrid(props: {
  items: Array<{ label: string; value: ReactNode; title?: string }>;
}) {
  return (
    <dl
      style={{
        display: 'grid',
        gridTemplateColumns: 'repeat(auto-fill, minmax(140px, 1fr))',
        gap: 'var(--bui-space-3)',
        margin: 'var(--bui-space-2) 0 var(--bui-space-4)',
      }}
    >
      {props.items.map(item => (
        <div key={item.label} title={item.title}>
          <dt>
            <Text as="span" variant="body-small" color="secondary">
              {item.label}
            </Text>
          </dt>
          <dd style={{ margin: 0 }}>
            <Text as="span" weight="bold">
              {item.value}
            </Text>
          </dd>
        </div>
      ))}
    </dl>
  );
}
