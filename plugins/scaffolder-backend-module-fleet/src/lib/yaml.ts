import YAML from 'yaml';

/** Every YAML file the actions write goes through here: same options, stable output, optional header comment. */
export function toYaml(value: unknown, header?: string): string {
  const doc = new YAML.Document(value);
  if (header)
    doc.commentBefore = header
      .split('\n')
      .map(l => (l ? ` ${l}` : ''))
      .join('\n');
  return doc.toString({ lineWidth: 0 });
}

/** Several documents in one file, separated by `---`. */
export function toYamlStream(values: unknown[], header?: string): string {
  return values
    .map((v, i) => toYaml(v, i === 0 ? header : undefined))
    .join('---\n');
}

/** JSON files: two-space indentation and a trailing newline. */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
