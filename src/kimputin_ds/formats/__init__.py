"""Exports to, and imports from, the formats of annotation tools and NLP libraries.

One module per format (:mod:`~kimputin_ds.formats.brat`,
:mod:`~kimputin_ds.formats.labelstudio`, :mod:`~kimputin_ds.formats.conll`,
:mod:`~kimputin_ds.formats.spacy`); :mod:`~kimputin_ds.formats.graph` holds
the mapping of the annotation models onto the tools' view that BRAT and
Label Studio share, and :mod:`~kimputin_ds.formats.drafts` turns what a tool
gives back into an annotation file. The entry points are
``python -m kimputin_ds.export`` and ``python -m kimputin_ds.import_annotations``.
"""

from kimputin_ds.formats.drafts import canonical, curated
from kimputin_ds.formats.from_graph import from_graph
from kimputin_ds.formats.graph import Graph, Node, Relation
from kimputin_ds.formats.to_graph import to_graph

__all__ = ["Graph", "Node", "Relation", "canonical", "curated", "from_graph", "to_graph"]
