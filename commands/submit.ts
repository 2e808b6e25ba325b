import { echo } from '../src/chat/user-text.js';
import { componentId } from '../src/chat/component-id.js';
import { UserError } from '../src/chat/errors.js';
import { form } from '../src/chat/reply.js';
import { extractCode } from '../src/runs/validate.js';
import { command, on } from './kit.js';
import { requireChallenge } from './lookups.js';
import { codeFrom, queueRun } from './run.js';

/** submit:form:1:<challenge> — the form /submit opens when no code is given. */
const formId = componentId('submit', 'form', { challenge: 'str' });

export default command({
  name: 'submit',
  description: "Submit a solution to a challenge; it is tested against the challenge's cases",
  examples: ['/submit recursive-factorial ```python\ndef factorial(n): ...\n```', '/submit recursive-factorial'],
  slow: true,
  options: [
    { name: 'challenge', description: 'Challenge id, e.g. recursive-factorial', type: 'string', required: true, autocomplete: 'challenges' },
    { name: 'code', description: 'Your solution (a ```python block works too)', type: 'string', long: true },
    { name: 'file', description: 'Your solution as a .py file', type: 'attachment', extensions: ['.py'] },
  ],
  formUnless: ['code', 'file'],
  async handle({ options, ctx, scope, services }) {
    const challenge = requireChallenge(services.content, options.challenge);
    const code = codeFrom(options, services, 'graded');
    if (code === undefined) {
      return form({
        id: formId.encode({ challenge: challenge.id }),
        title: challenge.title.slice(0, 45),
        fields: [
          { id: 'code', label: 'Your solution', style: 'paragraph', required: true, value: challenge.starter.slice(0, 4000), maxLength: 4000 },
        ],
      });
    }
    return queueRun(ctx, scope, services, { kind: 'grade', challenge, code });
  },
  components: [
    on(formId, async ({ id, fields, ctx, scope, services }) => {
      const challenge = services.content.challengeById.get(id.challenge);
      if (!challenge) throw new UserError(`The challenge "${echo(id.challenge)}" is no longer in the course.`);
      const code = fields.code ?? '';
      if (!code.trim()) throw new UserError('The code box was empty, so nothing was submitted.');
      return queueRun(ctx, scope, services, { kind: 'grade', challenge, code: extractCode(code) });
    }),
  ],
});
