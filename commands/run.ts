import type { Command, FileInput } from '../src/chat/command.js';
import { UserError } from '../src/chat/errors.js';
import { form, message, note, text } from '../src/chat/reply.js';
import type { ChatContext } from '../src/chat/context.js';
import { decodeUpload, extractCode } from '../src/runs/validate.js';
import type { RunRequest } from '../src/runs/service.js';
import type { Services } from '../src/services.js';

/** Code from the command text, a fenced block in it, or an attached .py file. */
export function codeFrom(options: Record<string, unknown>, services: Services): string | undefined {
  const file = options.file as FileInput | undefined;
  if (file) return decodeUpload(file, services.config.runs.codeMaxBytes);
  const raw = options.code;
  return typeof raw === 'string' && raw.trim() ? extractCode(raw) : undefined;
}

/** Queues the code and answers with its place in line; the result replaces this reply. */
export async function queueRun(ctx: ChatContext, services: Services, req: RunRequest) {
  const { position } = await services.runs.submit(ctx, req);
  const what = req.kind === 'grade' ? `Testing your solution to **${services.content.challengeById.get(req.challengeId)?.title}**` : 'Running your code';
  return message([
    text(`⏳ ${what}… ${position > 1 ? `(#${position} in the queue)` : ''}`.trim()),
    note('The result will appear here.'),
  ]);
}

export default {
  name: 'run',
  description: 'Run a Python snippet in a sandbox and show its output',
  examples: ['/run print(sum(range(10)))', '/run ```python\nname = input()\nprint("hi", name)\n```\n```stdin\nAda\n```'],
  slow: true,
  options: [
    { name: 'code', description: 'Python code (a ```python block works too)', type: 'string', long: true },
    { name: 'stdin', description: 'Text given to the program as standard input', type: 'string' },
    { name: 'file', description: 'A .py file to run', type: 'attachment' },
  ],
  async handle(call, ctx, services) {
    const code = codeFrom(call.options, services);
    if (code === undefined) {
      return form({
        id: 'run:form',
        title: 'Run Python',
        fields: [
          { id: 'code', label: 'Code', style: 'paragraph', required: true, placeholder: 'print("hello")', maxLength: 4000 },
          { id: 'stdin', label: 'Input (stdin)', style: 'paragraph', required: false, maxLength: 4000 },
        ],
      });
    }
    const stdin = call.options.stdin === undefined ? undefined : String(call.options.stdin);
    return queueRun(ctx, services, { kind: 'run', code, ...(stdin !== undefined && { stdin }) });
  },
  components: {
    /** The form /run opens when no code is given. */
    async form(call, ctx, services) {
      const code = call.fields?.code ?? '';
      if (!code.trim()) throw new UserError('The code box was empty, so nothing was run.');
      const stdin = call.fields?.stdin;
      return queueRun(ctx, services, { kind: 'run', code: extractCode(code), ...(stdin && { stdin }) });
    },
  },
} satisfies Command;
