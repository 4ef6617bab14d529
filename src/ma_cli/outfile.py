"""Where an output file really goes, before anything is written.

The results files are written to a temporary file beside the target and renamed into place, so
a reader never sees half a file. That is right for a regular file and wrong for anything else:
renaming over `/dev/stdout`, `/dev/null` or a named pipe would replace the device or pipe with a
plain file (as root, for every later user), and renaming over a symbolic link replaces the link.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ma_cli.errors import InputError


def resolve_output(path: Path, what: str, inputs: tuple[Path, ...] = ()) -> tuple[Path, bool]:
    """(the path to write, whether to write it through a temporary file and a rename).

    A symbolic link is followed (the link stays, its target is replaced); a device, pipe or socket
    is written directly. Writing over one of `inputs` is refused: the run would read its own output.
    """
    try:
        mode = os.stat(path).st_mode  # follows links: /dev/stdout may lead to a pipe
    except OSError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        return path, False
    target = Path(os.path.realpath(path))
    for source in inputs:
        try:
            same = mode is not None and os.path.samefile(target, source)
        except OSError:
            same = False
        if same:
            raise InputError(f"{what} {path}: is the input file {source}; expected a different file "
                             f"(writing there would destroy the input)")
    return target, True
