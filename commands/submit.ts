import type { Command } from '../src/chat/command.js';
import { UserError } from '../src/chat/errors.js';
import { form } from '../src/chat/reply.js';
import { extractCode } from '../src/runs/validate.js';
import { codeFrom, queueRun } from './run.js';

export default {
  name: 'submit',
  description: "Submit a solution to a challenge; it is tested against the challenge's cases",
  examples: ['/submit recursive-factorial ```python\ndef factorial(n): ...\n```', '/submit recursive-factorial'],
  slow: true,
  options: [
    { name: 'challenge', description: 'Challenge id, e.g. recursive-factorial', type: 'string', required: true, autocomplete: 'challenges' },
    { name: 'code', description: 'Your solution (a ```python block works too)', type: 'string', long: true },
    { name: 'file', description: 'Your solution as a .py file', type: 'attachment' },
  ],
  async handle(call, ctx, services) {
    const id = String(call.options.challenge).trim().toLowerCase();
    const challenge = services.content.challengeById.get(id);
    if (!challenge) throw new UserError(`There is no challenge "${id}".`, 'See `/challenges` for the list.');
    const code = codeFrom(call.options, services);
    if (code === undefined) {
      return form({
        id: `submit:form:${challenge.id}`,
        title: challenge.title.slice(0, 45),
        fields: [
          {
            id: 'code',
            label: 'Your solution',
            style: 'paragraph',
            required: true,
            value: challenge.starter.slice(0, 4000),
            maxLength: 4000,
          },
        ],
      });
    }
    return queueRun(ctx, services, { kind: 'grade', challengeId: challenge.id, code });
  },
  components: {
    /** submit:form:<challengeId> */
    async form(call, ctx, services) {
      const id = call.args[0] ?? '';
      if (!services.content.challengeById.has(id)) throw new UserError(`The challenge "${id}" is no longer in the course.`);
      const code = call.fields?.code ?? '';
      if (!code.trim()) throw new UserError('The code box was empty, so nothing was submitted.');
      return queueRun(ctx, services, { kind: 'grade', challengeId: id, code: extractCode(code) });
    },
  },
} satisfies Command;
