/**
 * Discord's documented message, component and interaction limits. A payload over any of them is
 * refused with 50035 (Invalid Form Body), so the renderer splits or clips before sending.
 */
export const LIMITS = {
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  /** Sum of every embed's text in one message. */
  embedsTotal: 6000,
  embedsPerMessage: 10,
  actionRows: 5,
  buttonsPerRow: 5,
  selectOptions: 25,
  buttonLabel: 80,
  selectOptionText: 100,
  selectPlaceholder: 150,
  customId: 100,
  filesPerMessage: 10,
  attachmentDescription: 1024,
  autocompleteChoices: 25,
  choiceText: 100,
  modalTitle: 45,
  modalComponents: 5,
  labelText: 45,
  textInputValue: 4000,
  textInputPlaceholder: 100,
} as const;

/** Interaction tokens live 15 minutes; stop using one a minute early. */
export const HANDLE_LIFETIME_MS = 14 * 60_000;

/** Handlers not done by then are deferred, leaving a margin inside Discord's 3 s window. */
export const DEFAULT_ACK_AFTER_MS = 2000;

/** Clips to `max` characters with an ellipsis. */
export function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
