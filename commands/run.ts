import { componentId } from '../src/chat/component-id.js';
import type { FileInput } from '../src/chat/command.js';
import type { ChatContext, Scope } from '../src/chat/context.js';
import { UserError } from '../src/chat/errors.js';
import { form, type Reply } from '../src/chat/reply.js';
import { renderQueued, type RunRequest } from '../src/runs/index.js';
import { decodeUpload, extractCode } from '../src/runs/validate.js';
import type { Services } from '../src/services.js';
import { command, on } from './kit.js';

/** run:form:1 — the form /run opens when no code is given. */
const formId = componentId('run', 'form');

/** Code from the command text, a fenced block in it, or an attached .py file. */
export function codeFrom(
  options: { code?: string | undefined; file?: FileInput | undefined },
  services: Services,
  /** What would have been done with the code, for the refusal. */
  done: 'run' | 'graded' | 'checked' = 'run',
): string | undefined {
  if (options.file) return decodeUpload(options.file, services.config.runs.codeMaxBytes);
  if (options.code === undefined) return undefined;
  // An empty code block is a mistake to point out, not a request for the code form (which, in a
  // script, would take the lines that follow as the program).
  if (!options.code.trim())
    throw new UserError(
      `Your code block is empty, so nothing was ${done}.`,
      'Put the program between the ``` lines, or send the command alone to get the code form.',
    );
  return extractCode(options.code);
}

/** Queues the code and answers with its place in line; the result replaces this reply. */
export async function queueRun(ctx: ChatContext, scope: Scope, services: Services, req: RunRequest): Promise<Reply> {
  const { position } = await services.runs.submit(
    { ws: scope.ws, userId: ctx.userId, channelId: ctx.channelId, conversation: ctx.conversation },
    req,
  );
  return {
    kind: 'message',
    message: renderQueued({ challengeTitle: req.kind === 'grade' ? req.challenge.title : undefined, checking: req.kind === 'check' }, position),
  };
}

export default command({
  name: 'run',
  description: 'Run a Python snippet in a sandbox and show its output',
  examples: ['/run print(sum(range(10)))', '/run ```python\nname = input()\nprint("hi", name)\n```\n```stdin\nAda\n```'],
  slow: true,
  options: [
    { name: 'code', description: 'Python code (a ```python block works too)', type: 'string', long: true },
    { name: 'stdin', description: 'Text given to the program as standard input', type: 'string' },
    { name: 'file', description: 'A .py file to run', type: 'attachment', extensions: ['.py'] },
  ],
  formUnless: ['code', 'file'],
  async handle({ options, ctx, scope, services }) {
    const code = codeFrom(options, services);
    if (code === undefined) {
      return form({
        id: formId.encode({}),
        title: 'Run Python',
        fields: [
          { id: 'code', label: 'Code', style: 'paragraph', required: true, placeholder: 'print("hello")', maxLength: 4000 },
          { id: 'stdin', label: 'Input (stdin)', style: 'paragraph', required: false, maxLength: 4000 },
        ],
      });
    }
    return queueRun(ctx, scope, services, { kind: 'run', code, ...(options.stdin !== undefined && { stdin: options.stdin }) });
  },
  components: [
    on(formId, async ({ fields, ctx, scope, services }) => {
      const code = fields.code ?? '';
      if (!code.trim()) throw new UserError('The code box was empty, so nothing was run.');
      return queueRun(ctx, scope, services, { kind: 'run', code: extractCode(code), ...(fields.stdin && { stdin: fields.stdin }) });
    }),
  ],
});
