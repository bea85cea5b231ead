import { ToggleButton, ToggleButtonGroup } from '@backstage/ui';
import { filterCount, REASON_FILTERS } from './reasonFilters';

/**
 * One toggle per reconcile reason with the whole fleet's count of rows carrying it: ghosts and
 * "broke after a sync" always, the others when a row carries them or they are chosen.
 */
export function ReasonFilter(props: {
  counts: Record<string, number>;
  selected: string[];
  onChange: (keys: string[]) => void;
}) {
  const shown = REASON_FILTERS.filter(
    f =>
      f.always ||
      props.selected.includes(f.key) ||
      filterCount(f, props.counts) > 0,
  );
  return (
    <ToggleButtonGroup
      aria-label="Filter by reason"
      selectionMode="multiple"
      selectedKeys={props.selected}
      onSelectionChange={keys =>
        props.onChange(
          REASON_FILTERS.filter(f => (keys as Set<string>).has(f.key)).map(
            f => f.key,
          ),
        )
      }
      style={{ flexWrap: 'wrap' }}
    >
      {shown.map(f => {
        const n = filterCount(f, props.counts);
        return (
          <ToggleButton
            key={f.key}
            id={f.key}
            size="small"
            aria-label={`${f.label}: ${n}`}
          >
            {f.label} {n}
          </ToggleButton>
        );
      })}
    </ToggleButtonGroup>
  );
}
