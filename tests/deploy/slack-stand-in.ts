import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Slack's side of the wire for a bot running in a container: the few Web API methods a slash
 * command needs (auth.test, users.info, anything else answered ok) and the response_urls its replies
 * go to, on all interfaces so the container can reach it through the Docker host's address.
 */
export class SlackStandIn {
  /** Every response_url post, in order: the URL's id and the JSON body. */
  readonly posts: { id: string; body: Record<string, unknown> }[] = [];
  readonly calls: string[] = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<SlackStandIn> {
    let standIn: SlackStandIn | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const url = new URL(req.url ?? '/', 'http://stand-in');
        const reply = (body: unknown) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        };
        const [, area, name] = url.pathname.split('/');
        if (area === 'response' && name) {
          standIn!.posts.push({ id: name, body: JSON.parse(raw) as Record<string, unknown> });
          return reply({ ok: true });
        }
        standIn!.calls.push(name ?? '');
        if (name === 'auth.test') {
          return reply({
            ok: true,
            url: 'https://study-group.slack.com/',
            team: 'Study',
            user: 'studybot',
            team_id: 'T0COMPOSE',
            user_id: 'U0BOT',
            bot_id: 'B0BOT',
          });
        }
        if (name === 'users.info') {
          const user = new URLSearchParams(raw).get('user') ?? 'U0ADA';
          return reply({
            ok: true,
            user: {
              id: user,
              name: 'ada',
              real_name: 'Ada',
              tz: 'UTC',
              is_admin: false,
              is_owner: false,
              profile: { display_name: 'ada', real_name: 'Ada' },
            },
          });
        }
        return reply({ ok: true, ts: `${Date.now() / 1000}`, channel: 'C0RUNS' });
      });
    });
    standIn = new SlackStandIn(server);
    await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
    return standIn;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Sends `/study <text>` to the bot's HTTP receiver, signed; replies go to a fresh response_url under `base`. */
  async command(eventsUrl: string, secret: string, base: string, text: string): Promise<{ status: number; id: string }> {
    const id = randomBytes(6).toString('hex');
    const body = new URLSearchParams({
      token: 'legacy',
      team_id: 'T0COMPOSE',
      team_domain: 'study-group',
      channel_id: 'C0RUNS',
      channel_name: 'runs',
      user_id: 'U0ADA',
      user_name: 'ada',
      command: '/study',
      text,
      api_app_id: 'A0BOT',
      response_url: `${base}/response/${id}`,
      trigger_id: `${id}.trigger`,
    }).toString();
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
    const res = await fetch(eventsUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': signature,
      },
      body,
      signal: AbortSignal.timeout(30_000),
    });
    await res.text();
    return { status: res.status, id };
  }

  /** What was posted to one response_url, as text (every block's text), in order. */
  postsTo(id: string): string[] {
    return this.posts.filter((p) => p.id === id).map((p) => JSON.stringify(p.body));
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
