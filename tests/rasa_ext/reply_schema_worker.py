"""Run in Rasa's environment: the patched reply validation accepts, refuses and never rebuilds.

Prints one JSON object: ``installed``, ``valid`` (a good reply accepted),
``refused`` (the message a bad reply was refused with, or None), ``builds``
(calls of ``jsonschema.validate`` while validating 50 replies).
"""

from __future__ import annotations

import json

import jsonschema
from rasa.core.actions.action import RemoteAction

from bot.rasa_ext.reply_schema import install

installed = install()
action = RemoteAction("action_x", None)
good = {"events": [{"event": "slot", "name": "answer", "value": None}], "responses": [{"text": "Hello"}]}
bad = {"events": [{"event": "slot", "name": 7}], "responses": "not a list"}

builds = 0
real_validate = jsonschema.validate


def counting_validate(*args, **kwargs):
    global builds
    builds += 1
    return real_validate(*args, **kwargs)


jsonschema.validate = counting_validate
valid = all(action._validate_action_result(good) for _ in range(50))
counted = builds
try:
    action._validate_action_result(bad)
    refused = None
except jsonschema.ValidationError as error:
    refused = error.message
print(json.dumps({"installed": installed, "valid": valid, "refused": refused, "builds": counted}))
