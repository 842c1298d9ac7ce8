"""Storage of policy alignments (``vlr align``): documents, passages and mappings per edition.

A Django app of its own (label ``store_align``) beside the review store; ``queries`` turns
rows into the core's :class:`vlrkit.align.Alignment` and back, and records the accept/reject
decisions the web page takes on each mapping.
"""
