import asyncio  # noqa: F401


async def download_all(names, download):
    """{name: content} for each distinct name, first-appearance order, downloads running at once."""
    # TODO: this awaits each download before starting the next, and repeats duplicates.
    results = {}
    for name in names:
        results[name] = await download(name)
    return results
