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
