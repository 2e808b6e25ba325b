import asyncio


async def fetch(site, url):
    """Pretend to download `url` from `site`: wait 0.1 s, then return the page's links.

    `site` maps each existing URL to the list of URLs it links to. A URL missing from `site`
    raises KeyError, like a 404.
    """
    await asyncio.sleep(0.1)
    return list(site[url])


async def crawl(site, start, limit):
    """Visit every page reachable from `start`, with at most `limit` fetches in flight.

    Every URL is fetched at most once. Returns (pages, broken): the sorted URLs fetched
    successfully and the sorted URLs whose fetch raised KeyError.
    """
    sem = asyncio.Semaphore(limit)
    seen = {start}
    pages, broken = [], []

    async def visit(url, tg):
        async with sem:
            try:
                links = await fetch(site, url)
            except KeyError:
                broken.append(url)
                return
        pages.append(url)
        for link in links:
            if link not in seen:
                seen.add(link)
                tg.create_task(visit(link, tg))

    async with asyncio.TaskGroup() as tg:
        tg.create_task(visit(start, tg))
    return sorted(pages), sorted(broken)
