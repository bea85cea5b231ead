import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { TemplateAction } from '@backstage/plugin-scaffolder-node';

/** Runs an action handler the way the scaffolder would (minus zod defaults, which the handlers apply themselves). */
export async function runAction(
  action: TemplateAction<any, any, any>,
  workspacePath: string,
  input: Record<string, unknown>,
  opts: { isDryRun?: boolean } = {},
) {
  const outputs: Record<string, any> = {};
  const warnings: string[] = [];
  const ctx = createMockActionContext({
    workspacePath,
    input: input as any,
    isDryRun: opts.isDryRun,
  });
  ctx.isDryRun = opts.isDryRun;
  ctx.output = ((name: string, value: unknown) => {
    outputs[name] = value;
  }) as any;
  const logger = ctx.logger;
  ctx.logger = Object.assign(Object.create(logger), {
    warn: (msg: string) => {
      warnings.push(msg);
    },
  });
  await action.handler(ctx);
  return { outputs, loggedWarnings: warnings };
}
