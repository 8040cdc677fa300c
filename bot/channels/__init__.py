"""Input channels of the Rasa server that live in this repository.

Modules here run inside the Rasa environment (``.venv-rasa``): they import
only Rasa, Sanic, ``slack_sdk`` and the standard library, never the rest of
:mod:`bot`.
"""
