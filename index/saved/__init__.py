"""The saved index: building a corpus, and keeping its index on disk between runs.

``building`` makes a corpus (the two ways in: build from articles, open a folder's
saved one), ``store`` writes and reads the arrays, ``manifest`` says what they hold,
``gc_pause`` keeps the garbage collector out of a build.
"""
