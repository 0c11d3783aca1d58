"""The files that make up a corpus, and how their names are printed.

A corpus is a folder holding one article per ``.txt`` file and an optional
``sources.csv``; ``.csv`` and ``.jsonl`` files with a text column are accepted
too, in the folder or as the corpus path itself (read by
:mod:`analysis.corpus.reading`). This module holds the one rule of which files
those are, and the refusals that come with it (file names are untrusted):

- **Inputs.** :func:`corpus_files` is the one list of the files that make up a
  corpus: the ``.txt``, ``.csv`` and ``.jsonl`` files directly in the folder,
  ``sources.csv`` and ``aliases.csv`` included. Sub-folders are not read.
- **Dot files are never documents.** A name starting with ``.`` (``.hidden.txt``,
  ``..txt``, an editor's ``.#a.txt``, ``.DS_Store``) is not an input, as in the
  Unix convention and in the manifest's fingerprint of the inputs. Other backup
  names (``a.txt~``) do not end in an article suffix and are ignored anyway.
- **Symbolic links.** The corpus path itself may be a link (it is resolved
  first). A link in the folder is read only when its target resolves inside
  the corpus folder: that file is part of what the user handed over (and is
  fingerprinted). A link leading out of the folder (``zz.txt -> /etc/passwd``)
  is refused with a :class:`CorpusError` naming the link and its target, as is
  a dangling link or a loop, rather than skipped: silently leaving out a file
  the user put in the folder would publish a report on a different corpus.
  :func:`check_inside_corpus` applies the rule; ``analysis.measures.name_matching.load_aliases`` calls it too.
- **Size.** :func:`read_limited` refuses a file from its size alone, before it
  is read (the limits are in :mod:`analysis.corpus.reading`).
- **Names in messages.** Every message naming a file or a doc_id prints it
  through :func:`printable`, so a file name holding terminal escapes cannot
  recolour or rewrite the user's terminal.
"""

from __future__ import annotations

import errno
import os
import unicodedata
from pathlib import Path

from analysis.errors import CorpusError

#: Files in a corpus folder that are metadata, not articles.
METADATA_FILES = frozenset({"sources.csv", "aliases.csv"})
#: Suffixes of the files that make up a corpus (articles and metadata tables).
CORPUS_SUFFIXES = frozenset({".txt", ".csv", ".jsonl"})

#: Unicode categories :func:`printable` escapes: controls, format characters
#: (bidi, zero-width), lone surrogates (undecodable bytes of a file name),
#: line and paragraph separators.
UNPRINTABLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def printable(name: object) -> str:
    """A file name or doc_id as it may be printed: invisible characters escaped.

    Control and format characters (terminal escapes, bidi controls, zero-width
    characters), lone surrogates (bytes of a file name that are not UTF-8) and
    line separators are written as Python escapes; everything else, accented
    letters and typographic quotes included, is kept.

    Examples
    --------
    >>> printable("a\\x1b[31m\\u202e.txt")
    'a\\\\x1b[31m\\\\u202e.txt'
    """
    return "".join(char.encode("unicode_escape").decode("ascii")
                   if unicodedata.category(char) in UNPRINTABLE_CATEGORIES else char
                   for char in str(name))



def corpus_error(path: object, problem: str) -> CorpusError:
    """A CorpusError naming ``path`` (printed through :func:`printable`) and the problem.

    Parameters
    ----------
    path : object
        The file, folder or table row the problem is in.
    problem : str
        What is wrong with it, and where useful what to do.

    Returns
    -------
    CorpusError
        With the message ``"<printable path>: <problem>"``, to be raised.
    """
    return CorpusError(f"{printable(path)}: {problem}")



def check_inside_corpus(path: str | Path, root: str | Path) -> Path:
    """Refuse a symbolic link in a corpus folder that dangles, loops or leads out of it.

    Parameters
    ----------
    path : str or pathlib.Path
        A file of the corpus folder (it need not exist).
    root : str or pathlib.Path
        The corpus folder; it may itself be reached through a link.

    Returns
    -------
    pathlib.Path
        ``path``, unchanged: a file that is not a link, a missing file, or a
        link whose target resolves inside ``root``.

    Raises
    ------
    CorpusError
        Naming the link and where it points, when its target is outside
        ``root`` (``zz.txt -> /etc/passwd``), does not exist, or is a loop.
    """
    path = Path(path)
    if not path.is_symlink():
        return path
    target = printable(os.readlink(path))
    try:
        path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise corpus_error(path, f"a symbolic link to {target} that loops and never reaches a file; "
                               "put the file itself in the corpus folder") from None
        if exc.errno == errno.ENOENT:
            raise corpus_error(path, f"a symbolic link to {target}, which does not exist") from None
        raise corpus_error(path, f"a symbolic link to {target} that cannot be followed ({exc.strerror})") from None
    resolved = Path(os.path.realpath(path))
    if not resolved.is_relative_to(Path(root).resolve()):
        raise corpus_error(path, f"a symbolic link to {printable(resolved)}, outside the corpus folder "
                           f"{printable(root)}; refused: copy the file into the folder if it belongs to the corpus")
    return path


def corpus_files(root: str | Path) -> list[Path]:
    """The files that make up a corpus: the one rule of what the kit reads.

    Parameters
    ----------
    root : str or pathlib.Path
        A corpus folder, or a single ``.txt``/``.csv``/``.jsonl`` corpus file.

    Returns
    -------
    list of pathlib.Path
        For a folder: every file directly in it whose suffix is one of
        :data:`CORPUS_SUFFIXES` (any case) and whose name does not start with
        ``.``: the articles, ``sources.csv`` and ``aliases.csv``; sorted by
        name, as ``root / name``. For a single file: that file, then
        ``aliases.csv`` beside it when there is one (the entity section reads
        it). Fingerprinting exactly these files covers every byte a report
        reads from its corpus.

    Raises
    ------
    CorpusError
        A symbolic link among them dangles, loops or leads out of the folder
        (:func:`check_inside_corpus`), or the folder cannot be listed.
    """
    root = Path(root)
    if not root.is_dir():
        aliases = check_inside_corpus(root.parent / "aliases.csv", root.parent)
        return [root] + ([aliases] if aliases.is_file() else [])
    try:
        entries = sorted(root.iterdir())
    except OSError as exc:
        raise corpus_error(root, f"cannot be listed ({exc.strerror})") from None
    files = []
    for entry in entries:
        if entry.name.startswith(".") or entry.suffix.lower() not in CORPUS_SUFFIXES:
            continue
        if check_inside_corpus(entry, root).is_file():
            files.append(entry)
    return files


def read_limited(path: Path, limit: int, what: str) -> bytes:
    """The bytes of ``path``, refused from its size alone when over ``limit``.

    Parameters
    ----------
    path : pathlib.Path
        The file to read.
    limit : int
        Most bytes it may have.
    what : str
        Completes the message: ``"bytes per <what>"``.

    Returns
    -------
    bytes
        The file's content.

    Raises
    ------
    CorpusError
        The file is over ``limit`` bytes, or cannot be read.
    """
    try:
        size = path.stat().st_size
        if size > limit:
            raise corpus_error(path, f"{size:,} bytes; the limit is {limit:,} bytes per {what}")
        return path.read_bytes()
    except OSError as exc:
        raise corpus_error(path, f"cannot be read ({exc.strerror})") from None
