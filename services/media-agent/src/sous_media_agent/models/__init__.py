"""Which voice model a session talks to: MODEL=local (offline), nova-sonic or echo."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from strands.bidi.models.model import BidiModel

from ..config import Settings

if TYPE_CHECKING:
    from .local.engines import LocalEngines
    from .local.settings import LocalModelSettings

logger = logging.getLogger(__name__)

TurnMetricsCallback = Callable[[dict[str, Any]], None]
ModelFactory = Callable[[TurnMetricsCallback | None], BidiModel]


def load_engines(
    settings: Settings,
    local_settings: LocalModelSettings | None = None,
    progress: Callable[[str], None] | None = None,
) -> LocalEngines | None:
    """Load and warm up the offline model's process-wide engines (blocking; run in a thread).

    Returns None for models that need none.
    """
    if settings.model != "local":
        return None
    from .local.engines import LocalEngines
    from .local.settings import LocalModelSettings

    report = progress or (lambda step: logger.info("%s", step))
    engines = LocalEngines.load(local_settings or LocalModelSettings(), report)
    engines.warm_up(report)
    return engines


def build_model(
    settings: Settings,
    *,
    engines: LocalEngines | None = None,
    local_settings: LocalModelSettings | None = None,
    on_turn_metrics: TurnMetricsCallback | None = None,
) -> BidiModel:
    """A fresh model for one session."""
    if settings.model == "nova-sonic":
        from .nova_sonic import build_nova_sonic_model

        return build_nova_sonic_model(settings)
    if settings.model == "echo":
        from .echo import EchoModel

        return EchoModel()
    if engines is None:
        raise ValueError("MODEL=local needs its engines: pass engines=load_engines(settings)")
    from .local.model import LocalVoiceModel
    from .local.settings import LocalModelSettings

    return LocalVoiceModel(engines, local_settings or LocalModelSettings(), on_turn_metrics)


def model_factory(
    settings: Settings,
    engines: LocalEngines | None = None,
    local_settings: LocalModelSettings | None = None,
) -> ModelFactory:
    """A per-session model maker bound to the process's engines."""

    def make(on_turn_metrics: TurnMetricsCallback | None) -> BidiModel:
        return build_model(
            settings,
            engines=engines,
            local_settings=local_settings,
            on_turn_metrics=on_turn_metrics,
        )

    return make
