"""attribution: find quotations in news articles and say who said them, in which role.

The public API::

    from attribution import Extractor, Article
    result = Extractor(models_dir="path/to/stanza").extract(Article(id="a1", text=text))
    for q in result.quotes:
        print(q.speaker, q.role, q.cue, q.content)
"""

from .errors import (
    AttributionError,
    DecodeError,
    EmptyInput,
    GoldFormatError,
    InputError,
    ModelsError,
    ModelsNotFound,
)
from .extract import EXTRACTOR_VERSION, Extractor, extract
from .types import Article, Claim, Entity, ExtractionResult, Quote, RoleFact

__version__ = "0.1.0"

__all__ = [
    "EXTRACTOR_VERSION", "Article", "AttributionError", "Claim", "DecodeError", "EmptyInput", "Entity",
    "ExtractionResult", "Extractor", "GoldFormatError", "InputError", "ModelsError", "ModelsNotFound",
    "Quote", "RoleFact", "extract", "__version__",
]
