"""vlrkit: Voluntary Local Reviews of the Sustainable Development Goals.

Layout (a pure core, a store, thin faces):

- core: ``sdg`` (the UN framework catalogue), ``tidy`` (the observation table), ``guide``
  (the Global Guiding Elements as a checklist), ``formats`` (readers and writers),
  ``validation`` (error catalogue and reports), ``assess`` (assessment methods), ``align``
  (plan and budget mapping), ``report`` (the report model and its renderers), ``demo``
  (the demo city as plain data);
- store: ``store`` (Django ORM models, migrations and the queries that turn rows into plain data);
- faces: ``cli`` (the ``vlr`` command) and ``web`` (the Django web application).

The core never imports the store or the faces.
"""

__version__ = "0.1.0"

import os as _os

# polars' allocator (jemalloc) keeps the pages of freed tables for 10 s before returning them to
# the system.  Reading a big file goes through several large, short-lived tables built on
# different threads, whose pages the next table does not reuse, so the peak memory of an import
# came near their sum (a 50 MB CSV: 780 MB peak; with pages returned at once, 490 MB; the CPU time
# is the same).  It must be set before polars is first imported; a setting of the caller wins.
_os.environ.setdefault("_RJEM_MALLOC_CONF", "dirty_decay_ms:0,muzzy_decay_ms:0")
