"""Silero VAD v6 on onnxruntime: the speech probability of each 32 ms window of a stream.

The model is the ONNX file faster-whisper ships (`assets/silero_vad_v6.onnx`), so it runs
wherever onnxruntime does (linux/amd64 and arm64 alike). One `SileroModel` per process; each
audio stream gets its own `SileroStream`, which carries the model's recurrent state (h, c) and
the last 64 samples of context from one 512-sample window to the next.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import onnxruntime  # type: ignore[import-untyped]
from faster_whisper.utils import get_assets_path  # type: ignore[import-untyped]

MODEL_PATH = Path(get_assets_path()) / "silero_vad_v6.onnx"
SAMPLE_RATE = 16000
WINDOW_SAMPLES = 512  # 32 ms, the window Silero is trained on at 16 kHz
CONTEXT_SAMPLES = 64  # the end of the previous window, fed again in front of each window
_STATE_SHAPE = (1, 1, 128)


class SileroModel:
    """The loaded model; `run` is thread-safe and keeps no state of its own."""

    def __init__(self, path: Path = MODEL_PATH) -> None:
        options = onnxruntime.SessionOptions()
        # One window is ~0.1 ms of work: more threads would only add hand-over cost.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self._session = onnxruntime.InferenceSession(
            str(path), sess_options=options, providers=["CPUExecutionProvider"]
        )

    def stream(self) -> SileroStream:
        return SileroStream(self)

    def run(
        self,
        window_with_context: npt.NDArray[np.float32],
        h: npt.NDArray[np.float32],
        c: npt.NDArray[np.float32],
    ) -> tuple[float, npt.NDArray[np.float32], npt.NDArray[np.float32]]:
        probability, h, c = self._session.run(None, {"input": window_with_context, "h": h, "c": c})
        return float(probability.reshape(-1)[0]), h, c


class SileroStream:
    """One continuous audio stream: consecutive windows share the model's state."""

    def __init__(self, model: SileroModel) -> None:
        self._model = model
        self._input = np.zeros((1, CONTEXT_SAMPLES + WINDOW_SAMPLES), dtype=np.float32)
        self._h = np.zeros(_STATE_SHAPE, dtype=np.float32)
        self._c = np.zeros(_STATE_SHAPE, dtype=np.float32)

    def probability(self, window: npt.NDArray[np.float32]) -> float:
        """Speech probability (0-1) of the next 512 samples (float32 in [-1, 1])."""
        if window.shape != (WINDOW_SAMPLES,):
            raise ValueError(f"a window is {WINDOW_SAMPLES} samples, not {window.shape}")
        # The previous window's tail is already at the front; the new window goes after it.
        self._input[0, CONTEXT_SAMPLES:] = window
        probability, self._h, self._c = self._model.run(self._input, self._h, self._c)
        self._input[0, :CONTEXT_SAMPLES] = window[-CONTEXT_SAMPLES:]
        return probability
