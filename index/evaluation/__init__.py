"""Measuring the engine: question sets (:mod:`~index.evaluation.formats`, ``qa``, ``squad``)
and summaries (:mod:`~index.evaluation.summaries`), behind ``articlebot eval`` and
``articlebot eval-summaries``."""
