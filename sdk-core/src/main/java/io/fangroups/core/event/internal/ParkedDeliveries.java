package io.fangroups.core.event.internal;

import io.fangroups.core.GroupId;
import io.fangroups.core.event.ParkedDelivery;
import io.fangroups.core.internal.StoreAccess;
import io.fangroups.core.internal.format.StoreRecord;
import io.fangroups.core.internal.format.StoreRecord.DeliveryParked;
import io.fangroups.spi.GroupStore.StoredEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * The relay's parked deliveries in the store: one stream each, named by
 * {@link RelayDestinations#parkedStream}, holding one {@link DeliveryParked} record with a copy of
 * the event. The stream exists exactly while the delivery is parked.
 */
final class ParkedDeliveries {
  /** The longest error message kept; a host's exception can carry a whole response body. */
  private static final int MAX_MESSAGE = 1_000;

  private final StoreAccess access;
  private final Clock clock;

  ParkedDeliveries(StoreAccess access, Clock clock) {
    this.access = access;
    this.clock = clock;
  }

  /**
   * Parks the delivery of {@code event} to {@code destination}; false when it is parked already (a
   * relay stopped between parking it and moving its cursor past it).
   */
  boolean park(String destination, GroupId group, StoredEvent event, int attempts, Throwable error) {
    Throwable cause = cause(error);
    String message = cause.getMessage() == null ? "" : cause.getMessage();
    DeliveryParked record = new DeliveryParked(destination, group, event.sequence(), event.type(), event.payload(),
        attempts, cause.getClass().getName(), message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message,
        clock.instant());
    return access.appendRecord(RelayDestinations.parkedStream(destination, group, event.sequence()), 0, record);
  }

  /** The failure itself, not the wrappers the stage machinery put around it. */
  static Throwable cause(Throwable error) {
    Throwable e = error;
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  /** The parked delivery in {@code stream}, if it is still parked. */
  Optional<DeliveryParked> read(String stream) {
    List<StoreRecord> records = access.records(stream);
    if (records.isEmpty()) {
      return Optional.empty();
    }
    if (records.get(0) instanceof DeliveryParked parked) {
      return Optional.of(parked);
    }
    throw new IllegalStateException(stream + " holds a " + records.get(0).getClass().getSimpleName()
        + ", not a parked delivery");
  }

  /** Deletes a parked delivery; false when it was gone already. */
  boolean delete(String stream) {
    return StoreAccess.call(() -> access.store.deleteStream(stream, 1));
  }

  /** Up to {@code limit} parked deliveries of the destinations (in name order) whose streams sort after {@code after}. */
  List<ParkedDelivery> list(List<String> destinations, @Nullable String after, int limit) {
    List<ParkedDelivery> out = new ArrayList<>();
    for (String stream : streams(destinations, after, limit)) {
      read(stream).ifPresent(r -> out.add(view(r)));
    }
    return out;
  }

  /** How many deliveries of the destinations are parked. */
  long count(List<String> destinations) {
    long count = 0;
    String after = null;
    while (true) {
      List<String> page = streams(destinations, after, StoreAccess.READ_BATCH);
      count += page.size();
      if (page.size() < StoreAccess.READ_BATCH) {
        return count;
      }
      after = page.get(page.size() - 1);
    }
  }

  private List<String> streams(List<String> destinations, @Nullable String after, int limit) {
    List<String> names = new ArrayList<>();
    for (String destination : destinations) {
      String prefix = RelayDestinations.parkedPrefix(destination);
      if (after != null && after.compareTo(prefix) > 0 && !after.startsWith(prefix)) {
        continue; // after is past every stream of this destination
      }
      int wanted = limit - names.size();
      names.addAll(StoreAccess.call(() -> access.store.streams(prefix, after, wanted)));
      if (names.size() >= limit) {
        break;
      }
    }
    return names;
  }

  static ParkedDelivery view(DeliveryParked r) {
    String error = r.errorMessage().isEmpty() ? r.errorClass() : r.errorClass() + ": " + r.errorMessage();
    return new ParkedDelivery(r.destination(), r.group(), r.sequence(), r.type(), r.group().value() + "/" + r.sequence(),
        r.attempts(), error, r.parkedAt());
  }

  /** The copy of the event a parked delivery keeps, as the store had it. */
  static StoredEvent event(DeliveryParked r) {
    return new StoredEvent(r.sequence(), r.type(), r.payload());
  }

  static String stream(ParkedDelivery d) {
    return RelayDestinations.parkedStream(d.destination(), d.groupId(), d.sequence());
  }
}
