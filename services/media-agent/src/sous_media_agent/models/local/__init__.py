"""The offline voice model (`MODEL=local`): VAD, Whisper, a tool-using brain and piper."""

from .engines import LocalEngines
from .model import LocalVoiceModel
from .settings import LocalModelSettings

__all__ = ["LocalEngines", "LocalModelSettings", "LocalVoiceModel"]
