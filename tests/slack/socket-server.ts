import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface Ack {
  envelope_id: string;
  payload?: unknown;
}

/**
 * Slack's side of a Socket Mode connection: the app connects to the URL apps.connections.open
 * returned, gets `hello`, and then receives envelopes (slash_commands, interactive, events_api)
 * that it must acknowledge with their envelope_id.
 */
export class SocketModeServer {
  private socket: WebSocket | undefined;
  private readonly acks = new Map<string, (ack: Ack) => void>();
  private readonly connected: Promise<void>;

  private constructor(private readonly wss: WebSocketServer) {
    this.connected = new Promise((resolve) => {
      wss.on('connection', (ws) => {
        this.socket = ws;
        ws.on('message', (data) => {
          const ack = JSON.parse(String(data)) as Ack;
          this.acks.get(ack.envelope_id)?.(ack);
        });
        ws.send(
          JSON.stringify({
            type: 'hello',
            num_connections: 1,
            debug_info: { host: 'applink-local', approximate_connection_time: 18060 },
            connection_info: { app_id: 'A0STUDYBOT' },
          }),
        );
        resolve();
      });
    });
  }

  static async start(): Promise<SocketModeServer> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    return new SocketModeServer(wss);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.wss.address() as AddressInfo).port}/link/`;
  }

  waitForConnection(): Promise<void> {
    return this.connected;
  }

  /** Sends an envelope and resolves with the app's acknowledgement and how long it took. */
  async send(type: 'slash_commands' | 'interactive' | 'events_api', payload: unknown): Promise<{ ack: Ack; ms: number }> {
    if (!this.socket) throw new Error('the app has not connected');
    const envelopeId = randomUUID();
    const started = Date.now();
    const acked = new Promise<Ack>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ack for ${type} within 3 s`)), 3000);
      this.acks.set(envelopeId, (ack) => {
        clearTimeout(timer);
        resolve(ack);
      });
    });
    this.socket.send(
      JSON.stringify({ envelope_id: envelopeId, payload, type, accepts_response_payload: type !== 'events_api', retry_attempt: 0, retry_reason: '' }),
    );
    const ack = await acked;
    return { ack, ms: Date.now() - started };
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
