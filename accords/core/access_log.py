"""gunicorn's access log, less the secret that counsel's calendar address carries.

Counsel's deadlines feed is found by a token in its query string: calendar apps subscribe to an
address, and the common ones (Google Calendar, Outlook) cannot sign in with a password, so the
address has to stay the key. What must not happen is the key being written, in plain, into every
access log line of every subscription's poll; `accords serve` logs through this class, which
writes `token=(withheld)` wherever a request line, query string, referrer or environment value
carries one. A proxy in front of Accords needs the same rule in its own log format.
"""

import re

from gunicorn.glogging import Logger

SECRET_PARAMETER = re.compile(r"((?:^|[?&;])token=)[^&;\s\"]*")
WITHHELD = r"\1(withheld)"


class AccessLog(Logger):
    def atoms(self, resp, req, environ, request_time):
        return {
            name: SECRET_PARAMETER.sub(WITHHELD, value) if isinstance(value, str) else value
            for name, value in super().atoms(resp, req, environ, request_time).items()
        }
