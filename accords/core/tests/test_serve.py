"""`accords serve`: counsel's calendar token never reaches gunicorn's access log."""

from datetime import timedelta
from types import SimpleNamespace

from accords.core.management.commands import serve

TOKEN = "Zq3-secret-calendar-key_0123456789"


def _served_config(monkeypatch):
    """The gunicorn configuration `accords serve` runs with, without serving."""
    started = {}
    monkeypatch.setattr(serve, "call_command", lambda *a, **k: None)
    monkeypatch.setattr(serve._Gunicorn, "run", lambda self: started.setdefault("cfg", self.cfg))
    serve.Command().handle(bind="127.0.0.1:0", workers=1)
    return started["cfg"]


def _poll(cfg, log_file, *, query: str, referer: str = "-"):
    cfg.set("accesslog", str(log_file))
    logger = cfg.logger_class(cfg)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/counsel/deadlines.ics?{query}",
        "PATH_INFO": "/counsel/deadlines.ics",
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "198.51.100.4",
        "HTTP_REFERER": referer,
        "HTTP_USER_AGENT": "Calendar/1.0",
    }
    response = SimpleNamespace(status="200 OK", sent=512, headers=[])
    request = SimpleNamespace(headers=[("USER-AGENT", "Calendar/1.0")])
    logger.access(response, request, environ, timedelta(milliseconds=12))
    for handler in logger.access_log.handlers:
        handler.flush()
    return log_file.read_text()


def test_the_access_log_withholds_the_calendar_token(monkeypatch, tmp_path):
    cfg = _served_config(monkeypatch)
    cfg.set("access_log_format", cfg.access_log_format + " q=%(q)s raw=%({raw_uri}e)s")
    logged = _poll(
        cfg,
        tmp_path / "access.log",
        query=f"token={TOKEN}",
        referer=f"https://calendar.example/sub?x=1&token={TOKEN}",
    )
    assert TOKEN not in logged
    assert '"GET /counsel/deadlines.ics?token=(withheld) HTTP/1.1" 200' in logged
    assert "q=token=(withheld)" in logged
    assert "sub?x=1&token=(withheld)" in logged


def test_the_access_log_keeps_other_query_parameters(monkeypatch, tmp_path):
    logged = _poll(
        _served_config(monkeypatch), tmp_path / "access.log", query="agreement=us-rwanda&page=2"
    )
    assert "/counsel/deadlines.ics?agreement=us-rwanda&page=2" in logged
