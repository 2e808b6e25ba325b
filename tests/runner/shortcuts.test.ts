import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/loader.js';
import type { CaseStatus, GradeResult } from '../../src/contract/code-runs.js';
import { gradeJob } from '../../src/runs/producer.js';
import { asGrade, py, useQueuedRunner } from './helpers.js';

/**
 * Challenges that demand a skill (threads, processes, tasks, a lock, a cache, SQL, ...) are not
 * passed by a submission that gets the right values without it. Each shortcut below is a real
 * submission to the course's own challenge, through the queue, a runner and Docker, and must fail,
 * on a check that names why.
 */
const content = loadContent('content');
let seq = 0;
const queued = useQueuedRunner('shortcuts', { poolSize: 2, concurrency: 2 });

async function submit(challengeId: string, code: string): Promise<GradeResult> {
  const challenge = content.challengeById.get(challengeId);
  if (!challenge) throw new Error(`no challenge ${challengeId}`);
  seq += 1;
  const data = gradeJob(`shortcut-${process.pid}-${seq}`, code, challenge);
  const job = await queued().queue.add('grade', data, { jobId: data.submissionId });
  return asGrade(await job.waitUntilFinished(queued().events, 300_000));
}

/** The statuses of the cases a submission failed, visible and hidden alike. */
function failures(r: GradeResult): CaseStatus[] {
  return r.cases.filter((c) => !c.passed).map((c) => c.status);
}

interface Shortcut {
  what: string;
  code: string;
  /** A status at least one failed case must have: the check that caught the shortcut. */
  caughtBy: CaseStatus;
}

/** The reference solution with some of its definitions replaced (later definitions win). */
const solutionWith = (challengeId: string, replacement: string) => `${content.challengeById.get(challengeId)!.solution}\n\n${replacement}`;

const shortcuts: Record<string, Shortcut[]> = {
  'finish-order-workers': [
    {
      what: 'sorting the jobs by delay instead of running them',
      code: 'def run_workers(jobs):\n    return [name for name, delay in sorted(jobs, key=lambda job: job[1])]\n',
      caughtBy: 'method',
    },
    {
      what: 'sorting, then sleeping as long as the slowest job',
      code: py`
        import time
        def run_workers(jobs):
            time.sleep(max((d for _, d in jobs), default=0))
            return [name for name, delay in sorted(jobs, key=lambda job: job[1])]
      `,
      caughtBy: 'method',
    },
  ],
  'alternating-printers': [
    {
      what: 'one thread that renames itself before each character',
      code: py`
        import threading
        def print_alternately(first, second):
            me = threading.current_thread()
            name = me.name
            a, b = list(first), list(second)
            while a or b:
                if a:
                    me.name = "first"
                    print(a.pop(0))
                if b:
                    me.name = "second"
                    print(b.pop(0))
            me.name = name
      `,
      caughtBy: 'wrong',
    },
  ],
  'atomic-tally': [
    {
      what: 'no lock, with a slow_io that does nothing',
      code: py`
        def slow_io():
            pass
        class Tally:
            def __init__(self):
                self._counts = {}
            def record(self, key):
                current = self._counts.get(key, 0)
                slow_io()
                self._counts[key] = current + 1
            def record_many(self, keys):
                for key in keys:
                    self.record(key)
            def snapshot(self):
                return dict(self._counts)
      `,
      caughtBy: 'wrong',
    },
    {
      what: 'no lock, and no slow_io between the read and the write',
      code: py`
        def slow_io():
            pass
        class Tally:
            def __init__(self):
                self._counts = {}
            def record(self, key):
                self._counts[key] = self._counts.get(key, 0) + 1
            def record_many(self, keys):
                for key in keys:
                    self.record(key)
            def snapshot(self):
                return dict(self._counts)
      `,
      caughtBy: 'method',
    },
  ],
  'async-fetch-timeout': [
    {
      what: 'deciding from the delays which fetches time out, and fetching only the others',
      code: py`
        import asyncio
        async def fake_fetch(url, delay):
            await asyncio.sleep(delay)
            if url.startswith("bad://"):
                raise ConnectionError(url)
            return f"<{url}>"
        async def fetch_all(requests, timeout):
            async def one(url, delay):
                if delay > timeout:
                    task = asyncio.ensure_future(fake_fetch(url, delay))
                    await asyncio.sleep(0)
                    task.cancel()
                    return "timeout"
                try:
                    return await fake_fetch(url, delay)
                except Exception as exc:
                    return f"error: {type(exc).__name__}"
            return list(await asyncio.gather(*(one(url, delay) for url, delay in requests)))
      `,
      caughtBy: 'wrong',
    },
    {
      what: 'one fetch at a time, each with its timeout',
      code: py`
        import asyncio
        async def fake_fetch(url, delay):
            await asyncio.sleep(delay)
            return f"<{url}>"
        async def fetch_all(requests, timeout):
            out = []
            for url, delay in requests:
                try:
                    out.append(await asyncio.wait_for(fake_fetch(url, delay), timeout))
                except TimeoutError:
                    out.append("timeout")
                except Exception as exc:
                    out.append(f"error: {type(exc).__name__}")
            return out
      `,
      caughtBy: 'method',
    },
  ],
  'taskgroup-all-or-nothing': [
    {
      what: 'working the outcome out from the delays without calling the services',
      code: py`
        import asyncio
        async def fake_service(name, delay, fail=False):
            await asyncio.sleep(delay)
            if fail:
                raise RuntimeError(f"{name} unavailable")
            return f"{name} data"
        async def load_all(calls):
            failing = sorted((delay, name) for name, delay, fail in calls if fail)
            if not failing:
                await asyncio.sleep(max((d for _, d, _ in calls), default=0))
                return {"status": "ok", "data": {name: f"{name} data" for name, _, _ in calls}}
            when, first = failing[0]
            await asyncio.sleep(when)
            cancelled = sorted(name for name, delay, _ in calls if delay > when)
            return {"status": "failed", "errors": [f"{first} unavailable"], "cancelled": cancelled}
      `,
      caughtBy: 'method',
    },
  ],
  'async-pipeline': [
    {
      what: 'every item transformed at once, with no workers and no queue',
      code: py`
        import asyncio
        async def pipeline(source, transform, workers, maxsize):
            items = [item async for item in source]
            async def one(item):
                try:
                    return await transform(item)
                except Exception as exc:
                    return f"error: {type(exc).__name__}"
            return list(await asyncio.gather(*(one(item) for item in items)))
      `,
      caughtBy: 'method',
    },
    {
      what: "one item at a time, with the event loop's clock sped up",
      code: py`
        import time
        _real = time.monotonic
        time.monotonic = lambda: _real() * 20
        async def pipeline(source, transform, workers, maxsize):
            out = []
            async for item in source:
                try:
                    out.append(await transform(item))
                except Exception as exc:
                    out.append(f"error: {type(exc).__name__}")
            return out
      `,
      caughtBy: 'method',
    },
  ],
  'bounded-async-crawl': [
    {
      what: 'one fetch at a time',
      code: py`
        import asyncio
        async def fetch(site, url):
            await asyncio.sleep(0.1)
            return list(site[url])
        async def crawl(site, start, limit):
            seen, todo, pages, broken = {start}, [start], [], []
            while todo:
                url = todo.pop(0)
                try:
                    links = await fetch(site, url)
                except KeyError:
                    broken.append(url)
                    continue
                pages.append(url)
                for link in links:
                    if link not in seen:
                        seen.add(link)
                        todo.append(link)
            return sorted(pages), sorted(broken)
      `,
      caughtBy: 'method',
    },
  ],
  'offload-blocking-calls': [
    {
      what: 'calling the blocking function inside the coroutine',
      code: py`
        import time
        def legacy_lookup(key):
            time.sleep(0.3)
            if key.startswith("missing"):
                raise KeyError(key)
            return key.upper()
        async def lookup_all(keys, max_threads):
            out = []
            for key in keys:
                try:
                    out.append(legacy_lookup(key))
                except KeyError:
                    out.append(None)
            return out
      `,
      caughtBy: 'method',
    },
  ],
  'queue-worker-pool': [
    {
      what: 'a thread per item instead of a pool of workers',
      code: py`
        import threading
        def process_all(items, handler, workers):
            results = [None] * len(items)
            def run(i, item):
                try:
                    results[i] = handler(item)
                except Exception as exc:
                    results[i] = f"error: {type(exc).__name__}"
            threads = [threading.Thread(target=run, args=(i, item)) for i, item in enumerate(items)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            return results
      `,
      caughtBy: 'method',
    },
  ],
  'multiprocess-word-count': [
    {
      what: 'counting in the calling process, with os.getpid rebound to look like a worker',
      code: solutionWith(
        'multiprocess-word-count',
        py`
          import os
          _pid = os.getpid()
          _next = iter(range(1, 10_000))
          os.getpid = lambda: _pid + next(_next)
          def count_words(lines, workers=2, top=None):
              k = min(workers, len(lines))
              total = Counter()
              for i in range(k):
                  total.update(count_chunk(lines[i::k]))
              ranked = sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))
              return ranked if top is None else ranked[:top]
        `,
      ),
      caughtBy: 'method',
    },
  ],
  'pool-sum-of-squares': [
    {
      what: 'summing in the calling process',
      code: solutionWith(
        'pool-sum-of-squares',
        'def parallel_sum_of_squares(numbers, parts=4):\n    partials = [sum_of_squares(c) for c in split(numbers, parts)]\n    return partials, sum(partials)\n',
      ),
      caughtBy: 'method',
    },
    {
      what: 'a pool of four processes',
      code: solutionWith(
        'pool-sum-of-squares',
        'def parallel_sum_of_squares(numbers, parts=4):\n    with Pool(processes=4) as pool:\n        partials = pool.map(sum_of_squares, split(numbers, parts))\n    return partials, sum(partials)\n',
      ),
      caughtBy: 'method',
    },
  ],
  'memoize-with-stats': [
    {
      what: "statistics without a cache, and the callers' call lists trimmed to match",
      code: py`
        import functools
        def memoize(func):
            seen = set()
            stats = {"hits": 0, "misses": 0}
            @functools.wraps(func)
            def wrapper(*args, **kwargs):
                key = (args, tuple(sorted(kwargs.items())))
                try:
                    hash(key)
                except TypeError:
                    return func(*args, **kwargs)
                calls = func.__globals__.get("calls")
                before = len(calls) if isinstance(calls, list) else None
                hit = key in seen
                stats["hits" if hit else "misses"] += 1
                result = func(*args, **kwargs)
                seen.add(key)
                if hit and before is not None:
                    del calls[before:]
                return result
            wrapper.cache_stats = lambda: {"hits": stats["hits"], "misses": stats["misses"], "size": len(seen)}
            def cache_clear():
                seen.clear()
                stats.update(hits=0, misses=0)
            wrapper.cache_clear = cache_clear
            return wrapper
      `,
      caughtBy: 'method',
    },
  ],
  'ttl-lru-cache': [
    {
      what: 'get_or_load that always loads, with hits counted and the call list trimmed as if it had not',
      code: solutionWith(
        'ttl-lru-cache',
        py`
          def _always_load(self, key, loader):
              calls = loader.__globals__.get("calls")
              before = len(calls) if isinstance(calls, list) else None
              live = self.get(key, _ABSENT_FOR_SHORTCUT) is not _ABSENT_FOR_SHORTCUT
              value = loader(key)
              if live and before is not None:
                  del calls[before:]
              if not live:
                  self.set(key, value)
              return value
          _ABSENT_FOR_SHORTCUT = object()
          TTLCache.get_or_load = _always_load
        `,
      ),
      caughtBy: 'method',
    },
  ],
  'repository-decorators': [
    {
      what: 'a cache that only counts, with reads faked on the provided repository',
      code: solutionWith(
        'repository-decorators',
        py`
          class InMemoryRepository(InMemoryRepository):
              def __init__(self, data=None, name="memory"):
                  super().__init__(data, name)
                  self._read_keys = set()
              def get(self, key):
                  value = self._data.get(key)
                  if key not in self._read_keys or value is None:
                      self.reads += 1
                  if value is not None:
                      self._read_keys.add(key)
                  return value
              def delete(self, key):
                  self._read_keys.discard(key)
                  super().delete(key)
          class CachingRepository(RepositoryDecorator):
              def __init__(self, inner):
                  super().__init__(inner)
                  self._known = set()
                  self.hits = self.misses = 0
              def get(self, key):
                  value = self.inner.get(key)
                  if key in self._known:
                      self.hits += 1
                  else:
                      self.misses += 1
                      if value is not None:
                          self._known.add(key)
                  return value
              def put(self, key, value):
                  self.inner.put(key, value)
                  self._known.add(key)
              def delete(self, key):
                  self.inner.delete(key)
                  self._known.discard(key)
              def cache_info(self):
                  return (self.hits, self.misses)
        `,
      ),
      caughtBy: 'method',
    },
  ],
  'c3-linearization': [
    {
      what: 'building real classes and reading their __mro__',
      code: py`
        def mro(bases, name):
            classes = {}
            def build(cls):
                if cls not in classes:
                    parents = tuple(build(b) for b in bases[cls]) or (object,)
                    try:
                        classes[cls] = type(cls, parents, {})
                    except TypeError:
                        raise TypeError(f"cannot linearize {cls}") from None
                return classes[cls]
            return [c.__name__ for c in build(name).__mro__]
      `,
      caughtBy: 'wrong',
    },
  ],
  'early-exit-bubble-sort': [
    {
      what: 'sorted(), with the passes worked out from how far items move',
      code: py`
        def bubble_sort(items):
            order = sorted(range(len(items)), key=lambda i: items[i])
            moves = max((i - position for position, i in enumerate(order)), default=0)
            return [items[i] for i in order], moves + 1
      `,
      caughtBy: 'method',
    },
  ],
  'customer-spending-report': [
    {
      what: 'reading the tables and adding up in Python',
      code: py`
        from collections import defaultdict
        def _load(conn):
            customers = conn.execute("SELECT id, name, country FROM customers").fetchall()
            orders = conn.execute("SELECT customer_id, total FROM orders WHERE status = 'paid'").fetchall()
            return customers, orders
        def spending_report(conn, min_total=0):
            customers, orders = _load(conn)
            count, total = defaultdict(int), defaultdict(float)
            for cid, amount in orders:
                count[cid] += 1
                total[cid] += amount
            rows = [(name, count[cid], round(total[cid], 2)) for cid, name, _ in customers]
            rows = [r for r in rows if r[2] >= min_total]
            return sorted(rows, key=lambda r: (-r[2], r[0]))
        def top_countries(conn, min_customers=1):
            customers, orders = _load(conn)
            country = {cid: c for cid, _, c in customers}
            payers, revenue = defaultdict(set), defaultdict(float)
            for cid, amount in orders:
                payers[country[cid]].add(cid)
                revenue[country[cid]] += amount
            rows = [(c, len(payers[c]), round(revenue[c], 2)) for c in revenue if len(payers[c]) >= min_customers]
            return sorted(rows, key=lambda r: (-r[2], r[0]))
      `,
      caughtBy: 'wrong',
    },
  ],
  'async-batches': [
    {
      what: 'an async generator function in place of the Countdown class',
      code: solutionWith(
        'async-batches',
        py`
          def Countdown(start):
              async def countdown():
                  n = start
                  while n > 0:
                      await asyncio.sleep(0)
                      yield n
                      n -= 1
              return countdown()
        `,
      ),
      caughtBy: 'wrong',
    },
  ],
};

describe.concurrent('shortcuts do not pass the challenges', () => {
  for (const [challengeId, list] of Object.entries(shortcuts)) {
    for (const shortcut of list) {
      it(`${challengeId}: ${shortcut.what}`, async () => {
        const r = await submit(challengeId, shortcut.code);
        expect(r.passed).toBe(false);
        expect(failures(r)).toContain(shortcut.caughtBy);
      }, 300_000);
    }
  }

  it('every challenge with shortcuts here still accepts its reference solution', async () => {
    for (const challengeId of Object.keys(shortcuts)) {
      const r = await submit(challengeId, content.challengeById.get(challengeId)!.solution);
      expect({ challengeId, failed: r.cases.filter((c) => !c.passed) }).toEqual({ challengeId, failed: [] });
    }
  }, 900_000);
});
