import asyncio  # noqa: F401
from urllib.parse import urldefrag, urljoin, urlsplit  # noqa: F401

import aiohttp
from bs4 import BeautifulSoup


async def crawl(start_url, limit=4, max_pages=50):
    """{url: title} of the pages of start_url's site reachable by links, sorted by url.

    At most `limit` requests at once, at most `max_pages` requests in all, each URL once.
    """
    # TODO: this fetches only the first page. Follow its same-site links, concurrently.
    titles = {}
    async with aiohttp.ClientSession() as session:
        async with session.get(start_url) as response:
            html = await response.text()
    soup = BeautifulSoup(html, "html.parser")
    titles[start_url] = soup.title.get_text().strip() if soup.title else ""
    return titles
