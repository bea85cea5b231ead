import { render, screen } from '@testing-library/react';
import { Sparkline } from './Sparkline';
import { formatDuration, formatPercent, formatRate } from './format';

describe('Sparkline', () => {
  it('draws a path and says latest/min/max in words', () => {
    render(
      <Sparkline
        label="Lag"
        points={[
          [0, 1],
          [60, 5],
          [120, 2],
        ]}
        format={formatDuration}
      />,
    );
    const img = screen.getByRole('img', {
      name: 'Lag: latest 2 s, min 1 s, max 5 s',
    });
    const d = img.querySelectorAll('path')[1].getAttribute('d')!;
    expect(d.startsWith('M')).toBe(true);
    expect(d.split('L')).toHaveLength(3);
  });

  it('handles flat and single-point series without dividing by zero', () => {
    render(<Sparkline label="Flat" points={[[0, 3]]} />);
    const d = screen
      .getByRole('img')
      .querySelectorAll('path')[1]
      .getAttribute('d')!;
    expect(d).not.toMatch(/NaN|Infinity/);
  });

  it('says so when there is no data', () => {
    render(<Sparkline label="Failed" points={[]} />);
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
