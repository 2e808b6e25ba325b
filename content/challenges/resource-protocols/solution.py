from typing import Protocol, runtime_checkable


@runtime_checkable
class Readable(Protocol):
    def read(self, size: int = -1) -> bytes: ...


@runtime_checkable
class Writable(Protocol):
    def write(self, data: bytes) -> int: ...


@runtime_checkable
class Closeable(Protocol):
    def close(self) -> None: ...


def capabilities(obj: object) -> list[str]:
    """Which of the three protocols obj satisfies, in the order readable, writable, closeable."""
    checks = [("readable", Readable), ("writable", Writable), ("closeable", Closeable)]
    return [name for name, proto in checks if isinstance(obj, proto)]


def copy_stream(src: object, dst: object, chunk_size: int = 4) -> int:
    """Copy src to dst in chunks of at most chunk_size bytes; return the number of bytes copied."""
    if not isinstance(src, Readable):
        raise TypeError(f"source is not readable: {type(src).__name__}")
    if not isinstance(dst, Writable):
        raise TypeError(f"destination is not writable: {type(dst).__name__}")
    if chunk_size < 1:
        raise ValueError("chunk_size must be positive")
    total = 0
    while True:
        chunk = src.read(chunk_size)
        if not chunk:
            return total
        dst.write(chunk)
        total += len(chunk)


def close_quietly(*objs: object) -> int:
    """Close every Closeable argument, skip the rest, swallow errors; return how many closed."""
    closed = 0
    for obj in objs:
        if isinstance(obj, Closeable):
            try:
                obj.close()
            except Exception:
                continue
            closed += 1
    return closed
