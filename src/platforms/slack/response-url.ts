/**
 * A command's or a click's response_url: Slack accepts up to five posts to it within 30 minutes,
 * in place of the original reply (replace_original) or as new ones, ephemeral or in the channel.
 */

/** Slack's own limit is 30 minutes; a minute less leaves room for clocks and slow deliveries. */
export const RESPONSE_URL_TTL_MS = 29 * 60_000;

export class ResponseUrlError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`response_url refused the post (${status}): ${body.slice(0, 200)}`);
    this.name = 'ResponseUrlError';
  }
}

export interface ResponseBody {
  text: string;
  blocks: unknown[];
  response_type?: 'ephemeral' | 'in_channel';
  replace_original?: boolean;
  delete_original?: boolean;
}

/**
 * Posts to response_urls one at a time per URL, in the order asked. A code result that arrives
 * before its "queued…" reply was even posted must not be overwritten by it, so an interaction
 * holds its URL until its own replies are out and later posts wait for that.
 */
export class ResponseUrls {
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(private readonly timeoutMs = 10_000) {}

  private chain<T>(url: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(url) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(task);
    const tail = next.catch(() => undefined);
    this.tails.set(url, tail);
    void tail.then(() => {
      if (this.tails.get(url) === tail) this.tails.delete(url);
    });
    return next;
  }

  /**
   * Starts answering an interaction on `url`: the session posts directly, and posts made through
   * `post` meanwhile (a code result) wait until the session ends.
   */
  begin(url: string): { post: (body: ResponseBody) => Promise<void>; end: () => void } {
    let end!: () => void;
    const gate = new Promise<void>((resolve) => {
      end = resolve;
    });
    void this.chain(url, () => gate);
    return { post: (body) => this.send(url, body), end };
  }

  post(url: string, body: ResponseBody): Promise<void> {
    return this.chain(url, () => this.send(url, body));
  }

  private async send(url: string, body: ResponseBody): Promise<void> {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await res.text();
    // Slack answers 200 with {"ok":true} (or a bare "ok"); a used-up or expired URL is refused.
    let refused = !res.ok;
    try {
      const parsed = JSON.parse(text) as { ok?: boolean };
      if (parsed.ok === false) refused = true;
    } catch {
      // Not JSON: the status decides.
    }
    if (refused) throw new ResponseUrlError(res.status, text);
  }
}
