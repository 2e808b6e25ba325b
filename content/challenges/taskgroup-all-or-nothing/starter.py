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
    # TODO: gather lets a failure escape and leaves the other calls running.
    # Use asyncio.TaskGroup and report failures as described.
    names = [name for name, _, _ in calls]
    results = await asyncio.gather(*(fake_service(*call) for call in calls))
    return {"status": "ok", "data": dict(zip(names, results))}
