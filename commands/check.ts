import { componentId } from '../src/chat/component-id.js';
import { UserError } from '../src/chat/errors.js';
import { form } from '../src/chat/reply.js';
import { extractCode } from '../src/runs/validate.js';
import { command, on } from './kit.js';
import { codeFrom, queueRun } from './run.js';

/** check:form:1 — the form /check opens when no code is given. */
const formId = componentId('check', 'form');

/**
 * /check reads a snippet with mypy --strict and black in the sandbox, through the same queue,
 * limits and refusals as /run, and answers with their findings. It awards nothing: points mean
 * learning, and a check is a tool.
 */
export default command({
  name: 'check',
  description: 'Type-check a Python snippet with mypy --strict and check its style with black',
  about: 'Nothing is run: mypy and black only read the code. Findings come by line; a long black diff arrives as a file.',
  examples: ['/check ```python\ndef add(a: int, b: int) -> int:\n    return a + b\n\ntotal: str = add(1, 2)\n```', '/check'],
  slow: true,
  options: [
    { name: 'code', description: 'Python code (a ```python block works too)', type: 'string', long: true },
    { name: 'file', description: 'A .py file to check', type: 'attachment', extensions: ['.py'] },
  ],
  formUnless: ['code', 'file'],
  async handle({ options, ctx, scope, services }) {
    const code = codeFrom(options, services, 'checked');
    if (code === undefined) {
      return form({
        id: formId.encode({}),
        title: 'Check Python',
        fields: [
          { id: 'code', label: 'Code', style: 'paragraph', required: true, placeholder: 'def add(a: int, b: int) -> int: ...', maxLength: 4000 },
        ],
      });
    }
    return queueRun(ctx, scope, services, { kind: 'check', code });
  },
  components: [
    on(formId, async ({ fields, ctx, scope, services }) => {
      const code = fields.code ?? '';
      if (!code.trim()) throw new UserError('The code box was empty, so nothing was checked.');
      return queueRun(ctx, scope, services, { kind: 'check', code: extractCode(code) });
    }),
  ],
});
