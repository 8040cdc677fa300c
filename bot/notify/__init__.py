"""Telling recruiters about finished screenings (see :mod:`bot.notify.slack`)."""

from bot.notify.slack import NotifySettings, notify_completed, post_summary, summary_message

__all__ = ["NotifySettings", "notify_completed", "post_summary", "summary_message"]
