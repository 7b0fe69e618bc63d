"""The exception tree. Every error a user can cause derives from :class:`AttributionError`,
whose message is one sentence the CLI prints as is."""


class AttributionError(Exception):
    """Base of every error this package raises on purpose."""


class ModelsError(AttributionError):
    """Stanza models are missing, incomplete or cannot be fetched."""


class ModelsNotFound(ModelsError):
    """No usable model directory: the message says which command to run."""


class InputError(AttributionError):
    """An input file or stream cannot be read as articles."""


class EmptyInput(InputError):
    """The input holds no text."""


class DecodeError(InputError):
    """The input is binary or in an encoding that cannot be detected."""


class GoldFormatError(AttributionError):
    """A gold file is not in the ``attribution-gold/1`` format."""
