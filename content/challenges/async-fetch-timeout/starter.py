import asyncio


async def fake_fetch(url, delay):
    """Pretend to download `url`: wait `delay` seconds, then return its body.

    URLs starting with "bad://" fail with ConnectionError.
    """
    await asyncio.sleep(delay)
    if url.startswith("bad://"):
        raise ConnectionError(f"cannot reach {url}")
    return f"<{url}>"


async def fetch_all(requests, timeout):
    """Fetch every (url, delay) request concurrently, each with its own `timeout`.

    Returns one entry per request, in input order: the body, "timeout", or
    "error: <ExceptionClassName>".
    """
    results = []
    for url, delay in requests:
        # TODO: this waits for each fetch in turn and lets errors escape.
        # Run them all at once, each with its own timeout.
        try:
            results.append(await asyncio.wait_for(fake_fetch(url, delay), timeout))
        except TimeoutError:
            results.append("timeout")
    return results
