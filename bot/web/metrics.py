"""What `/metrics` shows, in Prometheus' text format (README, "Running the scaled stack").

Counters that other parts keep themselves (events dropped, Bot API errors, what Redis could
not carry) are read when scraped, so those parts need not know about Prometheus.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry, Histogram, generate_latest
from prometheus_client import Counter as PromCounter
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from bot.services import Services

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# From a fast answer to one that sat out a flood wait.
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class _Read(Collector):
    """Values read from their owners at each scrape."""

    def __init__(self, services: Services, api_errors: Callable[[], Counter[str]]) -> None:
        self._services = services
        self._api_errors = api_errors

    def collect(self) -> Iterator[CounterMetricFamily | GaugeMetricFamily]:
        services = self._services
        events = services.events
        dropped = CounterMetricFamily(
            "jol_events_dropped", "Statistics events that could not be written and were dropped"
        )
        dropped.add_metric([], getattr(events, "dropped", 0))
        yield dropped
        written = CounterMetricFamily("jol_events_written", "Statistics events written")
        written.add_metric([], getattr(events, "written", 0))
        yield written
        pending = GaugeMetricFamily("jol_events_pending", "Statistics events waiting to be written")
        pending.add_metric([], events.pending)
        yield pending
        errors = CounterMetricFamily(
            "jol_bot_api_errors", "Failed Bot API calls, by HTTP code", labels=["code"]
        )
        for code, count in sorted(self._api_errors().items()):
            errors.add_metric([code], count)
        yield errors
        unshared = CounterMetricFamily(
            "jol_unshared",
            "What could not be shared with other replicas because Redis was away, by what",
            labels=["what"],
        )
        for what, count in sorted(services.replicas.unshared.items()):
            unshared.add_metric([what], count)
        yield unshared
        content = GaugeMetricFamily(
            "jol_content",
            "The content being served: its version and its articles",
            labels=["version"],
        )
        content.add_metric(
            [services.content.version], len(services.content.current.catalog.articles)
        )
        yield content


class Metrics:
    def __init__(
        self, services: Services, api_errors: Callable[[], Counter[str]] = Counter
    ) -> None:
        self.registry = CollectorRegistry()
        self.updates = PromCounter(
            "jol_updates",
            "Updates received, by kind (message, callback_query...) and outcome",
            ["kind", "outcome"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "jol_reply_seconds",
            "Seconds from receiving an update to having answered it",
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.last_calls = PromCounter(
            "jol_last_calls",
            "How the last Bot API call of each update's answer went out: in the webhook's answer "
            "(response), or as a call, by why (method, flood, rate, late, off, file)",
            ["via"],
            registry=self.registry,
        )
        self.resumed = PromCounter(
            "jol_calls_resumed",
            "Bot API calls not made again for a redelivered update: a delivery before made them",
            registry=self.registry,
        )
        self.refused = PromCounter(
            "jol_webhook_refused",
            "Webhook requests refused for a missing or wrong secret token (401)",
            registry=self.registry,
        )
        self.registry.register(_Read(services, api_errors))

    def render(self) -> bytes:
        return generate_latest(self.registry)
