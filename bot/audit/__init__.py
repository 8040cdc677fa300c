"""The LL144 bias audit: voluntary self-identification and the impact-ratio report.

* :mod:`bot.audit.categories` the sex and race/ethnicity (EEO-1) categories;
* :mod:`bot.audit.selfid` storing and forgetting a candidate's answer;
* :mod:`bot.audit.impact` the computation (pure, no database);
* :mod:`bot.audit.data` reading the selection from the database;
* :mod:`bot.audit.report` the report as text and CSV.

Only this package reads :class:`bot.db.models.SelfIdentification`; scoring,
the recruiter pages and the exports never do (a test checks).
"""
