"""Amazon Nova Sonic through strands' `BedrockNovaSonicModel` (MODEL=nova-sonic).

Nova Sonic ends a connection after 8 minutes. strands 1.62 handles it inside `BidiAgent`: the
model declares `restart_after_s` and the agent loop swaps in a fresh connection at a turn
boundary, replaying the conversation (and restarts reactively on `ConnectionTimeoutError`), so
`agent.run()` keeps going and the browser's session is never dropped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from ..config import Settings

if TYPE_CHECKING:
    from strands.bidi.models.bedrock import BedrockNovaSonicModel

SAMPLE_RATE: Literal[16000] = 16_000


def build_nova_sonic_model(settings: Settings) -> BedrockNovaSonicModel:
    """A Nova Sonic model with 16 kHz PCM in and out; credentials are resolved on start()."""
    from strands.bidi.models.bedrock import BedrockNovaSonicModel
    from strands.bidi.models.configs import BedrockNovaSonicAudioConfig

    return BedrockNovaSonicModel(
        model_id=settings.nova_sonic_model_id,
        region=settings.aws_region,
        voice=settings.nova_sonic_voice,
        audio=BedrockNovaSonicAudioConfig(
            input={"sample_rate": SAMPLE_RATE}, output={"sample_rate": SAMPLE_RATE}
        ),
        connection={"restart_after_s": settings.nova_sonic_restart_after_seconds},
    )


def announcement_prompt(text: str) -> str:
    """What Nova Sonic is asked, as a text turn, to say an announcement out loud."""
    return f"(Kitchen timer alert, not from the cook.) Tell the cook exactly this: {text}"
