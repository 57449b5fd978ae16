"""Thread instrumentation: off when no tracer provider records spans, kept when one does."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor

from opentelemetry.instrumentation.threading import ThreadingInstrumentor
from strands.telemetry.tracer import get_tracer

from sous_media_agent.telemetry import keep_thread_instrumentation_only_if_traced


def submit_is_wrapped() -> bool:
    return hasattr(ThreadPoolExecutor.submit, "__wrapped__")


def test_without_a_tracer_provider_thread_pools_are_left_alone() -> None:
    get_tracer()
    ThreadingInstrumentor().instrument()  # what strands' tracer does when it is first made
    assert submit_is_wrapped()
    assert keep_thread_instrumentation_only_if_traced() is False
    assert not submit_is_wrapped()
    with ThreadPoolExecutor(1) as pool:
        assert pool.submit(lambda: 42).result() == 42


def test_with_a_tracer_provider_spans_still_follow_work_into_threads() -> None:
    # A process of its own: a tracer provider can be set only once per process.
    script = textwrap.dedent(
        """
        from concurrent.futures import ThreadPoolExecutor
        from opentelemetry import trace
        from opentelemetry.sdk.trace import TracerProvider
        from sous_media_agent.telemetry import keep_thread_instrumentation_only_if_traced

        trace.set_tracer_provider(TracerProvider())
        assert keep_thread_instrumentation_only_if_traced() is True
        tracer = trace.get_tracer("test")
        with tracer.start_as_current_span("turn") as span, ThreadPoolExecutor(1) as pool:
            seen = pool.submit(lambda: trace.get_current_span()).result()
        assert seen.get_span_context() == span.get_span_context(), "context not propagated"
        print("ok")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.stdout.strip() == "ok", result.stderr
