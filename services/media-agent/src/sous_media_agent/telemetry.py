"""Tracing: strands' thread instrumentation stays on only when traces go somewhere.

strands' tracer switches on OpenTelemetry's `ThreadingInstrumentor` for the whole process, which
wraps every thread-pool submit to carry the trace context across; aiortc submits one Opus
encode per outgoing frame, so without a tracer provider that is ≈ 5 % of the agent's event loop
spent on context nobody records (docs/benchmarks.md). With a provider (e.g. AgentCore's ADOT
`opentelemetry-instrument`) it stays on, so spans still follow work into threads.
"""

from __future__ import annotations

import logging

from opentelemetry import trace
from opentelemetry.instrumentation.threading import ThreadingInstrumentor
from strands.telemetry.tracer import get_tracer

logger = logging.getLogger(__name__)


def traces_exported() -> bool:
    """Whether a real tracer provider is installed (the API's default records nothing)."""
    provider = trace.get_tracer_provider()
    return not isinstance(provider, trace.ProxyTracerProvider | trace.NoOpTracerProvider)


def keep_thread_instrumentation_only_if_traced() -> bool:
    """Create strands' tracer now; undo its thread instrumentation when nothing records spans.

    Returns whether threads stay instrumented.
    """
    get_tracer()  # instruments threading once per process, when first created
    if traces_exported():
        return True
    ThreadingInstrumentor().uninstrument()
    logger.debug("no tracer provider: thread pools are not instrumented")
    return False
