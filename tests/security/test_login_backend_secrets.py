"""The login backend (accounts/lockout.py) reads the person itself, as Django's ModelBackend does, and like it keeps
the password out of error reports."""

from __future__ import annotations

import sys
from types import FrameType, TracebackType
from typing import Any

import pytest
from django.test import RequestFactory
from django.views.debug import SafeExceptionReporterFilter

from accounts import usercache
from accounts.lockout import LockoutModelBackend


def _frames(tb: TracebackType | None) -> list[FrameType]:
    frames = []
    while tb is not None:
        frames.append(tb.tb_frame)
        tb = tb.tb_next
    return frames


def test_a_failing_login_read_reports_no_password(db: Any, monkeypatch: Any) -> None:
    def database_gone(username: Any) -> Any:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(usercache, "read_for_login", database_gone)
    with pytest.raises(RuntimeError):
        try:
            LockoutModelBackend().authenticate(None, username="someone", password="Secret-Passw0rd")
        except RuntimeError:
            frames = _frames(sys.exc_info()[2])
            raise
    frame = next(f for f in frames if f.f_code.co_name == "authenticate")
    report = dict(SafeExceptionReporterFilter().get_traceback_frame_variables(RequestFactory().get("/"), frame))
    assert report["username"] == "someone"
    assert report["password"] == SafeExceptionReporterFilter.cleansed_substitute
