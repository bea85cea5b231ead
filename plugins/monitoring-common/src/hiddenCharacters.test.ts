import {
  escapeHiddenCharacters,
  hiddenCharacterProblem,
} from './hiddenCharacters';

describe('hiddenCharacterProblem', () => {
  it('accepts plain names, and names written wholly in another script', () => {
    expect(hiddenCharacterProblem('cluster-02-edge')).toBeUndefined();
    expect(hiddenCharacterProblem('кластер-02')).toBeUndefined();
    expect(hiddenCharacterProblem('')).toBeUndefined();
  });

  it('names the bidi control, the invisible character and the look-alike, with where it is', () => {
    expect(hiddenCharacterProblem('\u202ecluster-02-edge\u202c')).toBe(
      'contains the bidirectional control character U+202E at position 0',
    );
    expect(hiddenCharacterProblem('cluster\u200b-02')).toBe(
      'contains the invisible character U+200B at position 7',
    );
    expect(hiddenCharacterProblem('cluster-0\u0002')).toBe(
      'contains the control character U+0002 at position 9',
    );
    // Cyrillic "с" (U+0441) in a Latin name.
    expect(hiddenCharacterProblem('\u0441luster-02-edge')).toBe(
      'mixes Latin letters with U+0441 at position 0, which looks like a Latin letter',
    );
    expect(hiddenCharacterProblem('tag\u{E0041}')).toMatch(/U\+E0041/);
  });
});

describe('escapeHiddenCharacters', () => {
  it('writes what cannot be seen as escapes and leaves the rest', () => {
    expect(escapeHiddenCharacters('\u202ecluster-02-edge\u202c')).toBe(
      '\\u{202E}cluster-02-edge\\u{202C}',
    );
    expect(escapeHiddenCharacters('cluster-02-edge')).toBe('cluster-02-edge');
  });
});
