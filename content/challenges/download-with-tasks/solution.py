import asyncio


async def download_all(names, download):
    """{name: content} for each distinct name, first-appearance order, downloads running at once."""
    distinct = list(dict.fromkeys(names))
    async with asyncio.TaskGroup() as tg:
        tasks = {name: tg.create_task(download(name)) for name in distinct}
    return {name: task.result() for name, task in tasks.items()}
