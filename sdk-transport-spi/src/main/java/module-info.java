/**
 * The service-provider interfaces a host platform implements to connect the fan groups SDK to its
 * infrastructure: the store, the event bus, the IM, user facts, attempt limits, ids and the
 * pre-join hook. Every package is null-marked: nothing is null unless annotated {@code @Nullable}.
 */
module io.fangroups.spi {
  requires static transitive org.jspecify;

  exports io.fangroups.spi;
}
