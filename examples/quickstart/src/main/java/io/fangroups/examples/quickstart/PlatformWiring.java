package io.fangroups.examples.quickstart;

import io.fangroups.core.FanGroups;
import io.fangroups.core.InMemoryAttemptLimiter;
import io.fangroups.core.admission.Verdict;
import io.fangroups.core.event.OutboxRelay;
import io.fangroups.spi.EventPublisher;
import io.fangroups.spi.FactSource;
import io.fangroups.spi.MessageTransport;
import io.fangroups.spi.PreJoinHook;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * How a platform connects the SDK to its own systems: each SPI is a small interface the host
 * implements (here with stand-ins that record what they get) and wires explicitly.
 */
public final class PlatformWiring {
  /** What the stand-in event bus received, as JSON. */
  final List<String> eventBus = new CopyOnWriteArrayList<>();
  /** What the stand-in IM delivered: kind and sender. */
  final List<String> chat = new CopyOnWriteArrayList<>();

  FanGroups build(FactSource socialGraph) {
    EventPublisher kafka = event -> {
      eventBus.add(event.json()); // e.g. producer.send(new ProducerRecord<>("fan-group-events", event.groupId(), event.json()))
      return CompletableFuture.completedFuture(null);
    };
    MessageTransport im = message -> {
      chat.add(message.kind() + " from " + message.senderId()); // e.g. imClient.sendToGroup(...), keyed by message.idempotencyKey()
      return CompletableFuture.completedFuture(null);
    };
    PreJoinHook riskControl = attempt -> CompletableFuture.completedFuture(
        attempt.userId().startsWith("bot-") ? new PreJoinHook.Verdict(PreJoinHook.Outcome.DENY, "risk control")
            : PreJoinHook.Verdict.allow());
    // README-WIRING-START
    FanGroups fanGroups = FanGroups.builder()
        .factSource(socialGraph)                       // days following, fan-club level … (async, batched)
        .eventPublisher(kafka)                         // every committed event, in order per group
        .messageTransport(im)                          // posts and "X joined" notices for the group chat
        .preJoinHook(riskControl, Duration.ofMillis(300), PreJoinHook.FailureMode.REJECT)
        .attemptLimiter(InMemoryAttemptLimiter.create()) // a cluster shares one, e.g. on Redis
        .relayOptions(OutboxRelay.Options.DEFAULT)     // the relay starts with build()
        .build();
    // README-WIRING-END
    return fanGroups;
  }
}
