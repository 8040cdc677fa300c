"""Units of the web app: highlighting, the chart, passwords, signing, rate limits, settings, commands."""

from __future__ import annotations

import io
import os
import stat

import pytest
from sqlalchemy import select

from bot.cli import build_parser
from bot.db.models import Recruiter
from bot.shared_secrets import WEB_SECRET, shared_secret
from bot.web.render import fmt_score, highlight, profile_chart
from bot.web.security import RateLimiter, Signer, hash_password, verify_password
from bot.web.settings import (
    DEFAULT_PUBLIC_BASE_URL,
    DEFAULT_WEB_PORT,
    WebSettings,
    check_base_url,
    public_base_url,
    web_port,
)


def test_highlight_escapes_first_then_wraps_spans() -> None:
    text = '<img src=x onerror="alert(1)"> I stay calm & listen'
    start = text.index("stay calm")
    html = str(
        highlight(
            text,
            [
                {"start": start, "end": start + 9, "polarity": "for", "indicator": "<calm>"},
                {"start": text.index("listen"), "end": len(text), "polarity": "against"},
            ],
        )
    )
    assert "<img" not in html and "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html
    assert 'title="evidence for: &lt;calm&gt;"' in html
    assert "stay calm</mark>" in html and "&amp;" in html
    assert 'class="ev ev-against"' in html and "−" in html


def test_highlight_skips_bad_and_overlapping_spans() -> None:
    text = "abcdef"
    html = str(
        highlight(
            text,
            [
                {"start": 1, "end": 4},
                {"start": 2, "end": 5},
                {"start": 5, "end": 99},
                {"start": "x", "end": 2},
                {"end": 3},
            ],
        )
    )
    assert html.count("<mark") == 1 and html.startswith("a<mark") and html.endswith("</mark>ef")
    assert str(highlight(None, [])) == "" and str(highlight("<b>", [])) == "&lt;b&gt;"


def test_profile_chart_is_labelled_and_escaped() -> None:
    svg = str(profile_chart({"a": 3.0, "b": 4.5}, {"a": "<Listening>", "b": "Numbers"}))
    assert svg.startswith("<svg") and 'role="img"' in svg and "<title" in svg
    assert "&lt;Listening&gt;: 3.0 of 5" in svg and ">4.5</text>" in svg
    assert "No ratings" in str(profile_chart({}, {}))
    assert fmt_score(None) == "–" and fmt_score(3.456) == "3.5"


def test_passwords_are_argon2id_and_checked() -> None:
    stored = hash_password("a long password")
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, "a long password") == (True, None)
    assert verify_password(stored, "wrong")[0] is False
    assert verify_password(None, "anything")[0] is False
    assert verify_password("not a hash", "x")[0] is False


def test_csrf_tokens_are_bound_and_secret() -> None:
    a, b = Signer("one"), Signer("two")
    assert a.check_csrf("sid", a.csrf_token("sid"))
    assert not a.check_csrf("other", a.csrf_token("sid"))
    assert not a.check_csrf("sid", b.csrf_token("sid"))
    assert not a.check_csrf(None, "x") and not a.check_csrf("sid", None)


def test_rate_limiter_window() -> None:
    limiter = RateLimiter(2, 10)
    assert limiter.hit("k", now=0) == 0 and limiter.hit("k", now=1) == 0
    assert limiter.hit("k", now=2) == pytest.approx(8)
    assert limiter.hit("other", now=2) == 0
    assert limiter.hit("k", now=10.5) == 0


def test_secret_from_env_or_generated_once(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("SCREENER_SECRET", raising=False)
    path = tmp_path / "var" / "web_secret"
    first = shared_secret(WEB_SECRET, tmp_path / "var")
    assert len(first) >= 40 and shared_secret(WEB_SECRET, tmp_path / "var") == first
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    monkeypatch.setenv("SCREENER_SECRET", "from-env")
    assert shared_secret(WEB_SECRET, tmp_path / "var") == "from-env"
    monkeypatch.setenv("WEB_PORT", "8181")
    monkeypatch.setenv("RASA_PORT", "5999")
    settings = WebSettings.from_env()
    assert settings.port == 8181 and settings.rasa_url == "http://127.0.0.1:5999/webhooks/rest/webhook"
    assert settings.secret == "from-env"
    assert settings.public_base_url == "http://127.0.0.1:8181"
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://Jobs.Example.org/")
    assert WebSettings.from_env().public_base_url == "https://jobs.example.org"
    monkeypatch.setenv("PUBLIC_BASE_URL", "jobs.example.org")
    with pytest.raises(ValueError, match="PUBLIC_BASE_URL"):
        WebSettings.from_env()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://jobs.example.org", "https://jobs.example.org"),
        ("HTTP://Example.ORG:8080/", "http://example.org:8080"),
        ("http://[::1]:8080", "http://[::1]:8080"),
    ],
)
def test_public_base_url_is_normalised(value: str, expected: str) -> None:
    assert check_base_url(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "ftp://example.org",
        "https://",
        "https://example.org/jobs",
        "https://a@example.org",
        "https://e.org/?x=1",
        "http://example.org:99999",
        "example.org",
    ],
)
def test_public_base_url_refuses_what_is_not_an_origin(value: str) -> None:
    with pytest.raises(ValueError, match="PUBLIC_BASE_URL"):
        check_base_url(value)


def test_commands_are_registered() -> None:
    parser = build_parser()
    assert parser.parse_args(["web", "--port", "9000"]).port == 9000
    assert parser.parse_args(["create-admin", "a@b.c"]).role == "admin"


def test_create_admin_asks_for_a_password(engine, monkeypatch, capsys) -> None:
    from bot.cli import main
    from bot.db import make_session_factory

    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["create-admin", "boss@example.org", "--password-stdin"]) == 1
    assert "12 characters" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("a sufficiently long one\n"))
    assert main(["create-admin", "boss@example.org", "--password-stdin", "--name", "Boss"]) == 0
    with make_session_factory(engine)() as session:
        boss = session.scalars(select(Recruiter)).one()
    assert (boss.email, boss.role, boss.name) == ("boss@example.org", "admin", "Boss")
    assert verify_password(boss.password_hash, "a sufficiently long one")[0]
    answers = iter(["one long password", "another long one"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main(["create-admin", "x@example.org"]) == 1
    assert "differ" in capsys.readouterr().err


def test_port_and_public_base_url_defaults_are_defined_once() -> None:
    assert web_port({}) == DEFAULT_WEB_PORT == 8080
    assert web_port({"WEB_PORT": "9090"}) == 9090
    assert public_base_url({}) == DEFAULT_PUBLIC_BASE_URL == "http://127.0.0.1:8080"
    assert public_base_url({"WEB_PORT": "9090"}) == "http://127.0.0.1:9090"
    assert public_base_url({"WEB_PORT": "9090"}, port=8181) == "http://127.0.0.1:8181"
    assert public_base_url({"PUBLIC_BASE_URL": "https://jobs.example.org"}, port=8181) == "https://jobs.example.org"
    assert WebSettings(secret="s", rasa_url="http://r").public_base_url == DEFAULT_PUBLIC_BASE_URL
