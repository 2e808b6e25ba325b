import asyncio
from urllib.parse import urldefrag, urljoin, urlsplit

import aiohttp
from bs4 import BeautifulSoup


async def crawl(start_url, limit=4, max_pages=50):
    """{url: title} of the pages of start_url's site reachable by links, sorted by url."""
    origin = urlsplit(start_url)[:2]
    seen = {start_url}
    titles = {}
    slots = asyncio.Semaphore(limit)

    async with aiohttp.ClientSession() as session:

        async def visit(url, tg):
            # Only the request holds a slot; parsing does not count against the limit.
            async with slots:
                async with session.get(url) as response:
                    if response.status != 200:
                        return
                    html = await response.text()
            soup = BeautifulSoup(html, "html.parser")
            titles[url] = soup.title.get_text().strip() if soup.title else ""
            for anchor in soup.find_all("a", href=True):
                link = urldefrag(urljoin(url, anchor["href"])).url
                if urlsplit(link)[:2] == origin and link not in seen and len(seen) < max_pages:
                    seen.add(link)
                    tg.create_task(visit(link, tg))

        async with asyncio.TaskGroup() as tg:
            tg.create_task(visit(start_url, tg))

    return dict(sorted(titles.items()))
