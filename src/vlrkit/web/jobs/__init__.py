"""Background jobs: every piece of long work the web application starts, one mechanism for all.

A *job* is one run of a task of Django's tasks framework (the ``django-tasks`` backport, queued
in the database by ``django-tasks-db``) together with the row a page reads while it runs:

- :mod:`~vlrkit.web.jobs.models` — :class:`Job`: kind, edition, who started it, status
  (``queued`` → ``running`` → ``done`` | ``failed``), progress (step *k* of *n* with a
  translatable label), the result (links, counts) or the reason it failed.
- :mod:`~vlrkit.web.jobs.runner` — :func:`start` (a view creates the job and queues its task in
  one transaction), :func:`execute` (a task's body: runs the work in a child process and records
  the outcome), :func:`progress` (called by the work), :func:`reap` (jobs of a worker that died
  are marked failed), :func:`drain` (runs queued jobs in this process: tests).
- :mod:`~vlrkit.web.jobs.limits` — the child process each job's work runs in, with a memory
  limit (``RLIMIT_DATA``) and a wall-clock limit (:class:`Limits`; settings
  ``VLRKIT_JOB_MEMORY_MB`` and ``VLRKIT_JOB_TIME_S``); a job over a limit, or whose process
  crashes, fails with a translated reason and the worker carries on.
- :mod:`~vlrkit.web.jobs.tasks` — the tasks: publish an edition, validate a data upload, import
  it, map an uploaded plan or budget to the goals (the work of the uploads is
  :mod:`vlrkit.web.uploads`'s).
- :mod:`~vlrkit.web.jobs.worker` — the worker loop that ``vlr serve`` starts and restarts
  (:mod:`vlrkit.web.server`) and that ``vlr worker`` runs alone.

What happens when a worker dies (killed, out of memory) is in ``docs/jobs.md``: the job it was
running is marked failed, never retried, because the job may be what killed it.
"""
