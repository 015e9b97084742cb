/**
 * The fan groups SDK: groups, membership, admission rules and passcodes over the SPIs a host
 * implements. Start at {@link io.fangroups.core.FanGroups#builder()}.
 */
module io.fangroups.core {
  requires transitive io.fangroups.spi;
  requires transitive io.fangroups.rules;
  requires com.fasterxml.jackson.databind;
  requires com.github.benmanes.caffeine;
  requires org.slf4j;
  requires static transitive org.jspecify;

  // The API packages; their internal subpackages are not exported.
  exports io.fangroups.core;
  exports io.fangroups.core.admission;
  exports io.fangroups.core.content;
  exports io.fangroups.core.event;
  exports io.fangroups.core.passcode;
  exports io.fangroups.core.redpacket;

  // FanGroups.Builder.discoverProviders() looks these up with ServiceLoader.
  uses io.fangroups.spi.AttemptLimiter;
  uses io.fangroups.spi.EventPublisher;
  uses io.fangroups.spi.FactSource;
  uses io.fangroups.spi.IdGenerator;
  uses io.fangroups.spi.MessageTransport;
  uses io.fangroups.spi.PreJoinHook;
}
