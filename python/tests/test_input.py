"""Every function accepts bytes, bytearray, memoryview, str and os.PathLike,
and refuses everything else with TypeError; paths that cannot be read raise
the OSError subclass Python itself would raise."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any, Callable

import pytest

import ediguard

FUNCTIONS: list[Callable[[Any], object]] = [ediguard.check, ediguard.detect]


class CustomPath:
    """A user-defined os.PathLike."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __fspath__(self) -> str:
        return str(self.path)


def forms(data: bytes, path: Path) -> dict[str, object]:
    return {
        "bytes": data,
        "bytearray": bytearray(data),
        "memoryview": memoryview(data),
        "memoryview slice": memoryview(b"xx" + data + b"yy")[2:-2],
        "str path": str(path),
        "pathlib.Path": path,
        "custom PathLike": CustomPath(path),
    }


def test_every_input_form_gives_the_same_report(x12: bytes, x12_file: Path) -> None:
    expected = ediguard.check(x12).to_json()
    for name, form in forms(x12, x12_file).items():
        report = ediguard.check(form)  # type: ignore[arg-type]
        assert report.to_json() == expected, name
        assert report.format == "x12", name


def test_every_input_form_is_detected(x12: bytes, x12_file: Path) -> None:
    for name, form in forms(x12, x12_file).items():
        assert ediguard.detect(form) == "x12", name  # type: ignore[arg-type]


def test_bytearray_is_copied_not_aliased(x12: bytes) -> None:
    data = bytearray(x12)
    report = ediguard.check(data)
    data[:] = b"not edi at all"
    assert report.format == "x12"


@pytest.mark.parametrize("function", FUNCTIONS)
@pytest.mark.parametrize(
    "value",
    [None, 12, 1.5, ["ISA"], {"data": b"ISA"}, object(), (b"ISA",)],
    ids=lambda v: type(v).__name__,
)
def test_wrong_types_raise_type_error(function: Callable[[Any], object], value: object) -> None:
    with pytest.raises(TypeError, match="expected bytes, bytearray, memoryview, str or os.PathLike"):
        function(value)


@pytest.mark.parametrize("function", FUNCTIONS)
def test_missing_path_raises_file_not_found(
    function: Callable[[Any], object], tmp_path: Path
) -> None:
    missing = tmp_path / "no-such-file.x12"
    for form in (str(missing), missing, CustomPath(missing)):
        with pytest.raises(FileNotFoundError) as info:
            function(form)
        assert info.value.errno == errno.ENOENT
        assert info.value.filename == str(missing)


@pytest.mark.parametrize("function", FUNCTIONS)
def test_directory_raises_os_error(function: Callable[[Any], object], tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError):
        function(tmp_path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads unreadable files")
def test_unreadable_file_raises_permission_error(x12_file: Path) -> None:
    x12_file.chmod(0)
    with pytest.raises(PermissionError):
        ediguard.check(x12_file)


def test_str_is_a_path_never_data(x12: bytes) -> None:
    # A str holding EDI text is taken as a file name, which does not exist;
    # EDI text must be passed encoded.
    text = x12[:40].decode("ascii")
    with pytest.raises(FileNotFoundError):
        ediguard.check(text)
    assert ediguard.detect(text.encode("ascii")) == "x12"


def test_empty_inputs_raise_parse_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.edi"
    empty.write_bytes(b"")
    for form in (b"", bytearray(), memoryview(b""), empty):
        with pytest.raises(ediguard.ParseError) as info:
            ediguard.check(form)
        assert info.value.kind == "unrecognized"


def test_large_file_over_the_limit_raises_limit_error(tmp_path: Path, x12: bytes) -> None:
    big = tmp_path / "big.x12"
    big.write_bytes(x12 * 100)
    limit = len(x12) * 10
    with pytest.raises(ediguard.LimitError) as info:
        ediguard.check(big, ediguard.Options(max_input_len=limit))
    assert info.value.kind == "limit"
    assert str(limit) in str(info.value)
    # Within the limit the same file is fine.
    assert ediguard.check(big, ediguard.Options(max_input_len=len(x12) * 100)).format == "x12"
