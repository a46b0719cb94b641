"""A ZIP archive written while it is sent: memory stays flat whatever the size of the files."""

import zipfile
from collections.abc import Callable, Iterable, Iterator

CHUNK = 64 * 1024


class _Sink:
    """A write-only file for zipfile, emptied after each piece is sent (zipfile handles a stream that
    cannot seek by writing data descriptors)."""

    def __init__(self) -> None:
        self._pieces: list[bytes] = []

    def write(self, data: bytes) -> int:
        self._pieces.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data, self._pieces = b"".join(self._pieces), []
        return data


Member = tuple[str, Callable[[], Iterable[bytes]]]


def stream_zip(members: Iterable[Member]) -> Iterator[bytes]:
    """Yield the bytes of a ZIP holding each (name, chunks) member, in order."""
    sink = _Sink()
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_DEFLATED) as archive:  # type: ignore[call-overload]  # a stream
        for name, chunks in members:
            with archive.open(name, mode="w", force_zip64=True) as member:
                for chunk in chunks():
                    member.write(chunk)
                    if piece := sink.take():
                        yield piece
            yield sink.take()
    yield sink.take()
