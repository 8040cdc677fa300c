"""Extensions loaded by the Rasa server itself (Rasa's environment).

Modules here import only Rasa, its dependencies and the standard library:
they run inside ``.venv-rasa``, not in our application environment.
"""
