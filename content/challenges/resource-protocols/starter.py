from typing import Protocol


class Readable(Protocol):
    def read(self, size: int = -1) -> bytes: ...


class Writable(Protocol):
    def write(self, data: bytes) -> int: ...


class Closeable(Protocol):
    def close(self) -> None: ...


def capabilities(obj: object) -> list[str]:
    """Which of the three protocols obj satisfies, in the order readable, writable, closeable."""
    return [name for name, proto in [("readable", Readable), ("writable", Writable),
                                     ("closeable", Closeable)] if isinstance(obj, proto)]


def copy_stream(src: object, dst: object, chunk_size: int = 4) -> int:
    """Copy src to dst in chunks of at most chunk_size bytes; return the number of bytes copied.

    TypeError("source is not readable: <type>") / TypeError("destination is not writable: <type>"),
    ValueError("chunk_size must be positive").
    """
    raise NotImplementedError


def close_quietly(*objs: object) -> int:
    """Close every Closeable argument, skip the rest, swallow errors; return how many closed."""
    raise NotImplementedError
