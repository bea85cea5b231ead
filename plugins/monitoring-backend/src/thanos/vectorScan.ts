import { SIGNAL_LABEL, type SignalAnswer, type TaggedSample } from './signals';

/** Where every instant-vector answer of Prometheus and Thanos Query begins (api/v1 `query`). */
const HEAD = '{"status":"success","data":{"resultType":"vector","result":[';
const SAMPLE = '{"metric":{';
const VALUE = '},"value":[';
const COMMA = 0x2c;
const QUOTE = 0x22;
const COLON = 0x3a;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/**
 * Reads an instant-vector answer straight into its signals (signals.ts), for answers written as
 * Prometheus and Thanos write them: compact, without escapes, each sample `{"metric":{labels},
 * "value":[time,"value"]}`. `undefined` for anything else (an escaped character, whitespace, a
 * histogram sample, an error envelope): the caller then parses it as JSON, so this is a shortcut,
 * never a second reading of the format.
 *
 * Why: at 100,000 clusters the summary reads ~300,000 samples. JSON.parse makes an object, an
 * array, a timestamp and a value string per sample that are dropped once split, and collecting
 * them is much of the backend's cost of a summary; this makes the labels and one object per sample.
 * The signal label is not kept in `labels` (the signal is the map's key). Non-finite values are
 * dropped, as signals() drops them.
 */
export function scanSignalVector(
  text: string,
): { result: SignalAnswer; warnings: string[] } | undefined {
  // One native search of the whole answer: escapes (\", \\, \u0026) take the JSON path.
  if (!text.startsWith(HEAD) || text.includes('\\')) return undefined;
  const out = new Map<string, TaggedSample[]>();
  let last: string | undefined;
  let list: TaggedSample[] = [];
  // The label names of the sample before, by position: samples of one signal name the same labels
  // in the same order, so each name is matched in place instead of cut out of the text again.
  const names: string[] = [];
  let i = HEAD.length;
  if (text.charCodeAt(i) !== CLOSE_BRACKET) {
    for (;;) {
      if (!text.startsWith(SAMPLE, i)) return undefined;
      i += SAMPLE.length;
      const labels: Record<string, string> = {};
      let signal: string | undefined;
      if (text.charCodeAt(i) !== CLOSE_BRACE) {
        for (let n = 0; ; n++) {
          if (text.charCodeAt(i) !== QUOTE) return undefined;
          const known = names[n];
          const same =
            known !== undefined &&
            text.charCodeAt(i + 1 + known.length) === QUOTE &&
            text.startsWith(known, i + 1);
          const keyEnd = same ? i + 1 + known.length : text.indexOf('"', i + 1);
          if (
            keyEnd < 0 ||
            text.charCodeAt(keyEnd + 1) !== COLON ||
            text.charCodeAt(keyEnd + 2) !== QUOTE
          )
            return undefined;
          const valueEnd = text.indexOf('"', keyEnd + 3);
          if (valueEnd < 0) return undefined;
          const key = same ? known : (names[n] = text.slice(i + 1, keyEnd));
          const value = text.slice(keyEnd + 3, valueEnd);
          if (key === SIGNAL_LABEL) signal = value;
          // An assignment to `__proto__` would set the prototype: JSON.parse keeps it as a label.
          else if (key === '__proto__') return undefined;
          else labels[key] = value;
          i = valueEnd + 1;
          const next = text.charCodeAt(i);
          if (next === CLOSE_BRACE) break;
          if (next !== COMMA) return undefined;
          i++;
        }
      }
      if (!text.startsWith(VALUE, i)) return undefined;
      i += VALUE.length;
      const comma = text.indexOf(',', i);
      if (comma < 0 || text.charCodeAt(comma + 1) !== QUOTE) return undefined;
      const end = text.indexOf('"', comma + 2);
      if (
        end < 0 ||
        text.charCodeAt(end + 1) !== CLOSE_BRACKET ||
        text.charCodeAt(end + 2) !== CLOSE_BRACE
      )
        return undefined;
      const value = Number(text.slice(comma + 2, end));
      i = end + 3;
      if (signal !== undefined && Number.isFinite(value)) {
        // A joined answer comes signal by signal (`or` appends each part's series).
        if (signal !== last) {
          const known = out.get(signal);
          if (known) list = known;
          else out.set(signal, (list = []));
          last = signal;
        }
        list.push({ labels, value });
      }
      const next = text.charCodeAt(i);
      if (next === CLOSE_BRACKET) break;
      if (next !== COMMA) return undefined;
      i++;
    }
  }
  // The result's `]`, then data's `}`; the envelope's own end, or more fields (warnings, infos).
  if (!text.startsWith(']}', i)) return undefined;
  const rest = text.slice(i + 2);
  if (rest === '}') return { result: out, warnings: [] };
  if (rest.charCodeAt(0) !== COMMA) return undefined;
  try {
    const more = JSON.parse(`{${rest.slice(1)}`) as { warnings?: unknown };
    const warnings = Array.isArray(more.warnings)
      ? more.warnings.map(String)
      : [];
    return { result: out, warnings };
  } catch {
    return undefined;
  }
}
