"""kimputin_ds: hand-curated Indonesian news annotations of the Kim Jong Un–Vladimir Putin summits.

The public API: the annotation models, span anchoring, corpus validation and
release building. Entry points: ``python -m kimputin_ds.validate``,
``python -m kimputin_ds.build`` and ``python -m kimputin_ds.publish``.
Heavy modules (``pyarrow``, ``datasets``, ``huggingface_hub``) are imported
only when building or publishing.
"""

from kimputin_ds.anchoring import Anchorer, AnchorError, Span, anchor
from kimputin_ds.corpus import Document, load_document
from kimputin_ds.errors import Issue, KimputinError, Report
from kimputin_ds.models import (
    AnnotationFile,
    Entity,
    EntityRegistry,
    Event,
    Quote,
    SpanRef,
    SplitAssignment,
    Stance,
)
from kimputin_ds.query import label_names
from kimputin_ds.validation import validate_corpus
from kimputin_ds.version import __version__

__all__ = [
    "AnchorError",
    "Anchorer",
    "AnnotationFile",
    "Document",
    "Entity",
    "EntityRegistry",
    "Event",
    "Issue",
    "KimputinError",
    "Quote",
    "Report",
    "Span",
    "SpanRef",
    "SplitAssignment",
    "Stance",
    "__version__",
    "anchor",
    "build_release",
    "label_names",
    "load_document",
    "validate_corpus",
]


def __getattr__(name: str) -> object:
    # build_release pulls in the build machinery; keep `import kimputin_ds` light.
    if name == "build_release":
        from kimputin_ds.build import build_release

        return build_release
    raise AttributeError(f"module 'kimputin_ds' has no attribute {name!r}")
