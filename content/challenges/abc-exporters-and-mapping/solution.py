from abc import ABC, abstractmethod
from collections.abc import MutableMapping


class Exporter(ABC):
    """Turns rows (tuples) into text. Subclasses give `extension` and `render`."""

    @property
    @abstractmethod
    def extension(self):
        """The file extension, without the dot."""

    @abstractmethod
    def render(self, rows):
        """The text for a list of rows."""

    def filename(self, stem):
        return f"{stem}.{self.extension}"


class CsvExporter(Exporter):
    extension = "csv"

    def render(self, rows):
        return "\n".join(",".join(str(value) for value in row) for row in rows)


class CaseInsensitiveDict(MutableMapping):
    """A mapping whose string keys ignore case; iteration shows the case last set."""

    def __init__(self, data=None):
        self._entries = {}  # lowercased key -> (key as last set, value)
        if data:
            self.update(data)

    def __getitem__(self, key):
        return self._entries[key.lower()][1]

    def __setitem__(self, key, value):
        # Assigning to an existing lowercased key keeps its place in the dict's order.
        self._entries[key.lower()] = (key, value)

    def __delitem__(self, key):
        del self._entries[key.lower()]

    def __iter__(self):
        return (key for key, _ in self._entries.values())

    def __len__(self):
        return len(self._entries)
