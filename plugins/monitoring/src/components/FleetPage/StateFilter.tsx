import { ToggleButton, ToggleButtonGroup } from '@backstage/ui';
import type { HealthState } from '@fleet-monitoring/plugin-monitoring-common';
import { STATE_LABELS, StateIcon } from '../common';
import { STATES_WORST_FIRST } from './fleetView';

/** One toggle per health state, with the whole fleet's count of it. */
export function StateFilter(props: {
  counts: Partial<Record<string, number>> | undefined;
  selected: HealthState[];
  onChange: (states: HealthState[]) => void;
}) {
  return (
    <ToggleButtonGroup
      aria-label="Filter by state"
      selectionMode="multiple"
      selectedKeys={props.selected}
      onSelectionChange={keys =>
        props.onChange(
          STATES_WORST_FIRST.filter(s => (keys as Set<string>).has(s)),
        )
      }
    >
      {STATES_WORST_FIRST.map(s => (
        <ToggleButton
          key={s}
          id={s}
          size="small"
          iconStart={<StateIcon state={s} />}
          aria-label={`${STATE_LABELS[s]}: ${props.counts?.[s] ?? 0}`}
        >
          {STATE_LABELS[s]} {props.counts?.[s] ?? 0}
        </ToggleButton>
      ))}
    </ToggleButtonGroup>
  );
}
