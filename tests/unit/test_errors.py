"""Every failure the project raises on purpose is an `EcommerceAgentsError`; only entry points exit."""

import pytest

from agents.errors import EcommerceAgentsError, exit_on_bad_settings
from agents.identity import TokenError
from agents.migrations import SchemaBehind
from agents.settings import SettingsError, load_settings
from agents.telemetry import TelemetryError
from orchestrator.conversation_store import ConversationBusy, ConversationNotFound, LeaseLost, StoreUnavailable
from orchestrator.supervisor import StartupFailed
from orchestrator.turns import WorkflowFailed
from specialists.store.catalog import UnknownProductError
from specialists.tools.common import ToolError


@pytest.mark.parametrize(
    "error",
    [
        *(SettingsError, TelemetryError, SchemaBehind, TokenError, UnknownProductError, ToolError),
        *(ConversationNotFound, ConversationBusy, LeaseLost, StoreUnavailable, WorkflowFailed, StartupFailed),
    ],
)
def test_each_error_is_one_of_the_projects(error):
    assert issubclass(error, EcommerceAgentsError)
    assert not issubclass(error, SystemExit)


def test_a_lookup_failure_is_still_a_lookup_error():
    assert issubclass(UnknownProductError, LookupError)
    assert issubclass(ConversationNotFound, LookupError)


def test_library_code_raises_a_bad_setting_as_an_ordinary_exception(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LOG_LEVEL", "loud")
    with pytest.raises(Exception) as caught:
        load_settings()
    assert isinstance(caught.value, SettingsError)


def test_an_entry_point_turns_a_bad_setting_into_exit_2(capsys):
    with pytest.raises(SystemExit) as exited, exit_on_bad_settings():
        raise SettingsError("invalid setting X: bad")
    assert exited.value.code == 2
    assert capsys.readouterr().err.strip() == "invalid setting X: bad"
