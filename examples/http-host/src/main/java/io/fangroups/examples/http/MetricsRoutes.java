package io.fangroups.examples.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The SDK's meters ({@code sdk-micrometer}) for a Prometheus scraper.
 *
 * <pre>
 * GET /metrics → 200, Prometheus text format
 * </pre>
 */
final class MetricsRoutes {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry;

  MetricsRoutes(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  void register(Router router) {
    router.get("/metrics", call -> Reply.ok(new Reply.Text(CONTENT_TYPE, registry.scrape())));
  }
}
