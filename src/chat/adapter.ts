import type { Platform } from './context.js';
import type { Sender } from './outbox.js';

/** A chat platform connection: transport only; everything else goes through the router. */
export interface Adapter {
  readonly platform: Platform;
  readonly sender: Sender;
  start(): Promise<void>;
  stop(): Promise<void>;
}
