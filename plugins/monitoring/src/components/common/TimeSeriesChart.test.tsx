import { render, screen } from '@testing-library/react';
import { TimeSeriesChart } from './TimeSeriesChart';
import { formatDuration, formatPercent, formatRate } from './format';

const t0 = 1_700_000_000;

describe('TimeSeriesChart', () => {
  it('says latest, min, max and the rule threshold in words, and draws axes and the threshold line', () => {
    const { container } = render(
      <TimeSeriesChart
        label="Lag"
        points={[
          [t0, 1],
          [t0 + 60, 5],
          [t0 + 120, 2],
        ]}
        format={formatDuration}
        threshold={4}
      />,
    );
    expect(
      screen.getByRole('img', {
        name: 'Lag: latest 2 s, min 1 s, max 5 s, rule fires at 4 s',
      }),
    ).toBeInTheDocument();
    // recharts renders both axes with ticks, the line and the dashed threshold line.
    expect(container.querySelector('.recharts-xAxis')).not.toBeNull();
    expect(container.querySelector('.recharts-yAxis')).not.toBeNull();
    expect(container.querySelector('.recharts-reference-line')).not.toBeNull();
    expect(screen.getByText('rule: 4 s')).toBeInTheDocument();
  });

  it('draws no threshold when no rule fired, and survives a single point', () => {
    const { container } = render(
      <TimeSeriesChart label="Flat" points={[[t0, 3]]} />,
    );
    expect(
      screen.getByRole('img', { name: 'Flat: latest 3, min 3, max 3' }),
    ).toBeInTheDocument();
    expect(container.querySelector('.recharts-reference-line')).toBeNull();
    expect(container.innerHTML).not.toMatch(/NaN|Infinity/);
  });

  it('says so when there is no data', () => {
    render(<TimeSeriesChart label="Failed" points={[]} />);
    expect(screen.getByText('Failed: no data in range')).toBeInTheDocument();
  });
});

describe('format', () => {
  it('formats', () => {
    expect(formatDuration(0.25)).toBe('250 ms');
    expect(formatDuration(420)).toBe('7 min');
    expect(formatDuration(7200)).toBe('2 h');
    expect(formatRate(12345)).toBe('12.3k/s');
    expect(formatRate(undefined)).toBe('—');
    expect(formatPercent(0.0123)).toBe('1.23 %');
  });
});
