"""Candidates' rights over their data: access (export), erasure and retention.

* :mod:`bot.privacy.locations`: where a candidate's data is kept outside our
  own tables (Rasa's tracker store, the Slack channel's state);
* :mod:`bot.privacy.tracker`: reading and deleting a conversation in Rasa's
  SQL tracker store;
* :mod:`bot.privacy.slack_state`: forgetting a Slack conversation's state;
* :mod:`bot.privacy.sqlite_files`: rewriting SQLite files so deleted rows
  leave no bytes behind;
* :mod:`bot.privacy.export`: everything held about a candidate, as JSON-ready
  data and as an HTML page;
* :mod:`bot.privacy.erase`: erasing a candidate everywhere, leaving a tombstone;
* :mod:`bot.privacy.retention`: erasing candidates whose retention period is over.

What is held where, and what remains after erasure: ``docs/privacy.md``.
"""
