"""The evidence engine: read source documents, attribute voices, search, check figures.

Modules: :mod:`.documents` (reading txt/md/html/pdf with metadata), :mod:`.voices`
(who speaks where), :mod:`.passages` (passages and the tokenizer), :mod:`.store`
(the DuckDB evidence store, ``ingest``), :mod:`.search` (BM25 in SQL), :mod:`.figures`
(figures and their check against the data), :mod:`.tags` (factor relevance, stance,
suggestions, citation checks) and :mod:`.brief` (the data of the brief's "What the
sources say" section).  See ``docs/evidence.md``.  Nothing is imported here, so
``import dyadscope.evidence`` stays cheap.
"""
