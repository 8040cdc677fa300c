"""The web application: the careers page with the chat, and the recruiters' pages.

One aiohttp process serves both audiences; see :func:`bot.web.app.create_app`
and ``docs/web.md``.
"""
