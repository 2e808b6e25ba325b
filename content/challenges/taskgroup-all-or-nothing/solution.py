import asyncio


async def fake_service(name, delay, fail=False):
    """Pretend to call a backend service: wait `delay` seconds, then answer or fail."""
    await asyncio.sleep(delay)
    if fail:
        raise RuntimeError(f"{name} unavailable")
    return f"{name} data"


async def load_all(calls):
    """Run fake_service for every (name, delay, fail) call concurrently in one TaskGroup.

    All succeed: {"status": "ok", "data": {name: result, ...}} in input order.
    Any fails: {"status": "failed", "errors": sorted messages, "cancelled": sorted names of the
    calls that were cancelled because of the failure}.
    """
    tasks = {}
    errors = []
    try:
        async with asyncio.TaskGroup() as tg:
            for name, delay, fail in calls:
                tasks[name] = tg.create_task(fake_service(name, delay, fail))
    except* Exception as group:
        errors = sorted(str(exc) for exc in group.exceptions)   # no `return` allowed in except*
    if errors:
        cancelled = sorted(name for name, task in tasks.items() if task.cancelled())
        return {"status": "failed", "errors": errors, "cancelled": cancelled}
    return {"status": "ok", "data": {name: task.result() for name, task in tasks.items()}}
