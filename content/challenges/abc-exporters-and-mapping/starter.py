from abc import ABC, abstractmethod
from collections.abc import MutableMapping


class Exporter(ABC):
    """Turns rows (tuples) into text. Subclasses give `extension` and `render`."""

    # TODO: an abstract property `extension` and an abstract method `render(rows)`.

    def filename(self, stem):
        return f"{stem}.{self.extension}"


class CsvExporter(Exporter):
    extension = "csv"

    def render(self, rows):
        # TODO: values joined with commas, rows joined with newlines.
        return ""


class CaseInsensitiveDict(MutableMapping):
    """A mapping whose string keys ignore case; iteration shows the case last set."""

    def __init__(self, data=None):
        self._entries = {}  # lowercased key -> (key as last set, value)
        if data:
            self.update(data)

    # TODO: __getitem__, __setitem__, __delitem__, __iter__ and __len__.
