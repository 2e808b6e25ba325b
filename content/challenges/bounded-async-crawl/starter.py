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
    seen = {start}
    pages, broken = [], []
    to_visit = [start]
    while to_visit:
        url = to_visit.pop()
        # TODO: this fetches one page at a time. Fetch concurrently (tasks), but never more
        # than `limit` at once (asyncio.Semaphore).
        try:
            links = await fetch(site, url)
        except KeyError:
            broken.append(url)
            continue
        pages.append(url)
        for link in links:
            if link not in seen:
                seen.add(link)
                to_visit.append(link)
    return sorted(pages), sorted(broken)
