/**
 * Discord's refusals a fake worth its name reproduces: the limits and rules whose violation the
 * real API answers with 50035 (Invalid Form Body) or 50006 (Cannot send an empty message).
 */

export class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: string[],
  ) {
    super(message);
  }

  toJSON() {
    return { code: this.code, message: this.message, ...(this.errors && { errors: this.errors }) };
  }
}

/** Discord's 429: `retry_after` in seconds; the client library waits that long and tries again. */
export class RateLimited extends Refusal {
  constructor(readonly retryAfter: number) {
    super(429, 0, 'You are being rate limited.');
  }

  override toJSON() {
    return { message: this.message, retry_after: this.retryAfter, global: false, code: 0 };
  }
}

/** Message edits per channel Discord allows in a window (the edit bucket). */
export const EDITS_PER_WINDOW = 5;
export const EDIT_WINDOW_MS = 5000;

export const invalidBody = (errors: string[]) => new Refusal(400, 50035, 'Invalid Form Body', errors);

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Checks a message create/edit body; `files` is how many multipart files came with it. */
export function messageProblems(body: Json): string[] {
  const problems: string[] = [];
  if (str(body.content).length > 2000) problems.push(`content: Must be 2000 or fewer in length (got ${str(body.content).length})`);
  const embeds = arr(body.embeds);
  if (embeds.length > 10) problems.push('embeds: Must be 10 or fewer in length');
  let total = 0;
  embeds.forEach((e, i) => {
    if (!isObject(e)) {
      problems.push(`embeds.${i}: not an object`);
      return;
    }
    const title = str(e.title);
    const description = str(e.description);
    if (title.length > 256) problems.push(`embeds.${i}.title: Must be 256 or fewer in length`);
    if (description.length > 4096) problems.push(`embeds.${i}.description: Must be 4096 or fewer in length (got ${description.length})`);
    if (!title && !description && !isObject(e.image) && !arr(e.fields).length) problems.push(`embeds.${i}: embed is empty`);
    total += title.length + description.length + str(isObject(e.footer) ? e.footer.text : '').length;
  });
  if (total > 6000) problems.push(`embeds: Embed size exceeds maximum size of 6000 (got ${total})`);
  const rows = arr(body.components);
  if (rows.length > 5) problems.push(`components: Must be 5 or fewer in length (got ${rows.length})`);
  const ids = new Set<string>();
  rows.forEach((row, r) => {
    if (!isObject(row) || row.type !== 1) {
      problems.push(`components.${r}: expected an action row`);
      return;
    }
    const inner = arr(row.components);
    if (inner.length < 1 || inner.length > 5) problems.push(`components.${r}.components: Must be between 1 and 5 in length`);
    inner.forEach((c, j) => {
      const at = `components.${r}.components.${j}`;
      if (!isObject(c)) {
        problems.push(`${at}: not an object`);
        return;
      }
      const id = str(c.custom_id);
      if (c.type === 2 && c.style !== 5) {
        if (!id || id.length > 100) problems.push(`${at}.custom_id: Must be between 1 and 100 in length`);
        if (str(c.label).length > 80) problems.push(`${at}.label: Must be 80 or fewer in length`);
        if (!str(c.label) && !c.emoji) problems.push(`${at}: a button needs a label or an emoji`);
      } else if (c.type === 3) {
        if (inner.length !== 1) problems.push(`${at}: a select menu must be alone in its row`);
        if (!id || id.length > 100) problems.push(`${at}.custom_id: Must be between 1 and 100 in length`);
        const options = arr(c.options);
        if (options.length < 1 || options.length > 25) problems.push(`${at}.options: Must be between 1 and 25 in length`);
        options.forEach((o, k) => {
          if (!isObject(o)) return;
          if (!str(o.label) || str(o.label).length > 100) problems.push(`${at}.options.${k}.label: Must be between 1 and 100 in length`);
          if (!str(o.value) || str(o.value).length > 100) problems.push(`${at}.options.${k}.value: Must be between 1 and 100 in length`);
          if (str(o.description).length > 100) problems.push(`${at}.options.${k}.description: Must be 100 or fewer in length`);
        });
        if (str(c.placeholder).length > 150) problems.push(`${at}.placeholder: Must be 150 or fewer in length`);
      } else if (c.type !== 2) problems.push(`${at}: unexpected component type ${String(c.type)}`);
      if (id) {
        if (ids.has(id)) problems.push(`${at}.custom_id: Component custom id cannot be duplicated`);
        ids.add(id);
      }
    });
  });
  return problems;
}

/** True when a (create or merged edit) message would show nothing. */
export function isEmptyMessage(m: { content?: unknown; embeds?: unknown; components?: unknown; attachments?: unknown }): boolean {
  return !str(m.content) && !arr(m.embeds).length && !arr(m.components).length && !arr(m.attachments).length;
}

/** Checks a modal (interaction response type 9). */
export function modalProblems(data: Json): string[] {
  const problems: string[] = [];
  const id = str(data.custom_id);
  if (!id || id.length > 100) problems.push('data.custom_id: Must be between 1 and 100 in length');
  const title = str(data.title);
  if (!title || title.length > 45) problems.push('data.title: Must be between 1 and 45 in length');
  const components = arr(data.components);
  if (components.length < 1 || components.length > 5) problems.push('data.components: Must be between 1 and 5 in length');
  components.forEach((c, i) => {
    const at = `data.components.${i}`;
    if (!isObject(c)) {
      problems.push(`${at}: not an object`);
      return;
    }
    let input: unknown;
    if (c.type === 18) {
      const label = str(c.label);
      if (!label || label.length > 45) problems.push(`${at}.label: Must be between 1 and 45 in length`);
      input = c.component;
    } else if (c.type === 1) {
      input = arr(c.components)[0];
    } else {
      problems.push(`${at}: expected a label or an action row`);
      return;
    }
    if (!isObject(input) || input.type !== 4) {
      problems.push(`${at}: expected a text input`);
      return;
    }
    const cid = str(input.custom_id);
    if (!cid || cid.length > 100) problems.push(`${at}.custom_id: Must be between 1 and 100 in length`);
    const max = typeof input.max_length === 'number' ? input.max_length : 4000;
    if (max < 1 || max > 4000) problems.push(`${at}.max_length: Must be between 1 and 4000`);
    if (str(input.value).length > max) problems.push(`${at}.value: Must be ${max} or fewer in length`);
    if (str(input.placeholder).length > 100) problems.push(`${at}.placeholder: Must be 100 or fewer in length`);
    if (input.style !== 1 && input.style !== 2) problems.push(`${at}.style: Must be 1 or 2`);
  });
  return problems;
}

/** Checks autocomplete results (interaction response type 8). */
export function choiceProblems(data: Json): string[] {
  const choices = arr(data.choices);
  const problems: string[] = [];
  if (choices.length > 25) problems.push(`data.choices: Must be 25 or fewer in length (got ${choices.length})`);
  choices.forEach((c, i) => {
    if (!isObject(c)) return;
    if (!str(c.name) || str(c.name).length > 100) problems.push(`data.choices.${i}.name: Must be between 1 and 100 in length`);
    if (String(c.value ?? '').length > 100) problems.push(`data.choices.${i}.value: Must be 100 or fewer in length`);
  });
  return problems;
}

const NAME = /^[-_\p{L}\p{N}]{1,32}$/u;

/** Checks one application command of a bulk overwrite. */
export function commandProblems(c: Json, at: string): string[] {
  const problems: string[] = [];
  const type = typeof c.type === 'number' ? c.type : 1;
  const name = str(c.name);
  if (type === 1) {
    if (!NAME.test(name) || name !== name.toLowerCase()) problems.push(`${at}.name: invalid chat input command name "${name}"`);
    const d = str(c.description);
    if (d.length < 1 || d.length > 100) problems.push(`${at}.description: Must be between 1 and 100 in length`);
  } else {
    if (name.length < 1 || name.length > 32) problems.push(`${at}.name: Must be between 1 and 32 in length`);
    if (str(c.description)) problems.push(`${at}.description: context menu commands cannot have a description`);
  }
  const checkOptions = (options: unknown[], where: string, depth: number) => {
    if (options.length > 25) problems.push(`${where}: Must be 25 or fewer in length`);
    let sawOptional = false;
    const names = new Set<string>();
    options.forEach((o, i) => {
      const p = `${where}.${i}`;
      if (!isObject(o)) return;
      const oname = str(o.name);
      if (!NAME.test(oname)) problems.push(`${p}.name: invalid option name "${oname}"`);
      if (names.has(oname)) problems.push(`${p}.name: duplicate option name`);
      names.add(oname);
      const d = str(o.description);
      if (d.length < 1 || d.length > 100) problems.push(`${p}.description: Must be between 1 and 100 in length`);
      if (o.type === 1 || o.type === 2) {
        if (depth >= (o.type === 2 ? 1 : 2)) problems.push(`${p}: subcommands nest at most group > subcommand`);
        checkOptions(arr(o.options), `${p}.options`, depth + 1);
        return;
      }
      if (o.required && sawOptional) problems.push(`${p}: required options must be placed before non-required options`);
      if (!o.required) sawOptional = true;
      const choices = arr(o.choices);
      if (choices.length > 25) problems.push(`${p}.choices: Must be 25 or fewer in length`);
      if (choices.length && o.autocomplete) problems.push(`${p}: autocomplete cannot be set with choices`);
    });
  };
  checkOptions(arr(c.options), `${at}.options`, 0);
  return problems;
}
