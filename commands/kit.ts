import { commandKit } from '../src/chat/command.js';
import type { Services } from '../src/services.js';

/**
 * The builders every command file uses, bound to the bot's services: `command` and `sub` infer each
 * handler's option types from its option definitions; `on` ties a component-id codec to the handler
 * that receives its clicks.
 */
export const { command, sub, group, on, view } = commandKit<Services>();
