package io.fangroups.core.event.internal;

import io.fangroups.core.GroupId;
import io.fangroups.spi.GroupStore;
import io.fangroups.spi.GroupStore.AppendResult;
import io.fangroups.spi.GroupStore.UniqueKey;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The relay's destinations as the store knows them, and the store names the relay uses for them.
 * A relay registers each of its destinations durably (the unique key
 * {@code relay-destination/<name>}) before it delivers anything, so relays in other processes and
 * the message pruner know who still needs a group's events: a group's change mark is cleared, and
 * its messages may be pruned, only once the cursor of every registered destination has passed
 * them. Keys are permanent, so a destination once registered stays registered.
 *
 * <p>A destination registered on a store that already has groups (an upgrade, or a transport added
 * later) may have missed groups whose marks were cleared before it registered, so its first relay
 * makes one full pass over every group's head; the key {@code relay-full-pass/<name>} records that
 * a full pass ended with every group caught up, after which the change feed alone finds the work.
 */
public final class RelayDestinations {
  /** The event publisher's name. */
  public static final String PUBLISHER = "publisher";
  /** The message transport's name. */
  public static final String TRANSPORT = "transport";
  /**
   * The host's wallet: red packets' payments and refunds. Registered by the first red packet sent on
   * the store (with its full pass marked done: no event before it needs the wallet), not when a
   * relay starts, so a store without red packets never waits for it.
   */
  public static final String WALLET = "wallet";
  /** Every destination there is, in name order. */
  static final List<String> ALL = List.of(PUBLISHER, TRANSPORT, WALLET);
  static final String PARKED = "parked/";
  private static final String REGISTERED = "relay-destination/";
  private static final String FULL_PASS = "relay-full-pass/";

  private RelayDestinations() {}

  /** The destinations any relay on {@code store} has registered; store failures are thrown as the store threw them. */
  public static Set<String> registered(GroupStore store) {
    Set<String> registered = new LinkedHashSet<>();
    for (String destination : ALL) {
      if (store.find(REGISTERED + destination).isPresent()) {
        registered.add(destination);
      }
    }
    return registered;
  }

  /**
   * The store cursor (and lease) of one group's deliveries to one destination:
   * {@code relay/<destination>|<groupId>}; the cursor is the sequence delivered up to.
   */
  public static String cursorName(String destination, GroupId group) {
    return "relay/" + key(destination, group);
  }

  /** The part of {@link #cursorName} after {@code relay/}: what {@code GroupRepository}'s relay cursor and lease methods take. */
  static String key(String destination, GroupId group) {
    return destination + "|" + group.value();
  }

  /**
   * The stream of a parked delivery: {@code parked/<destination>/<groupId>/<sequence>}, the sequence
   * in 19 digits so that a group's parked deliveries list in sequence order.
   */
  public static String parkedStream(String destination, GroupId group, long sequence) {
    return parkedPrefix(destination) + group.value() + "/" + String.format("%019d", sequence);
  }

  static String parkedPrefix(String destination) {
    return PARKED + destination + "/";
  }

  /** Registers a destination; harmless when it already is. */
  static void register(GroupStore store, String destination) {
    claim(store, REGISTERED + destination, destination);
  }

  /** Whether a full pass for the destination ended with every group caught up. */
  static boolean fullPassDone(GroupStore store, String destination) {
    return store.find(FULL_PASS + destination).isPresent();
  }

  static void fullPassEnded(GroupStore store, String destination) {
    claim(store, FULL_PASS + destination, destination);
  }

  private static void claim(GroupStore store, String key, String value) {
    AppendResult result = store.append(List.of(), List.of(new UniqueKey(key, value)));
    if (result instanceof AppendResult.Conflict c && c.kind() != AppendResult.Kind.KEY_EXISTS) {
      throw new IllegalStateException("claiming " + key + " conflicted on " + c.name());
    }
  }
}
