package io.fangroups.core;

import io.fangroups.spi.GroupStore.NewEvent;
import io.fangroups.spi.GroupStore.StoredEvent;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** PLACEHOLDER until the JSON codec lands: keeps objects in memory and writes references. */
final class StoreCodec {
  private final Map<Long, Object> objects = new ConcurrentHashMap<>();
  private final AtomicLong next = new AtomicLong();

  StoreCodec(PolicyCodec policies) {}

  NewEvent encode(GroupEvent event) {
    return new NewEvent(event.change().getClass().getSimpleName(), ref(event));
  }

  GroupEvent decode(GroupId group, StoredEvent stored) {
    GroupEvent e = (GroupEvent) objects.get(Long.parseLong(stored.payload().replaceAll("\\D", "")));
    return new GroupEvent(group, stored.sequence(), e.occurredAt(), e.attribution(), e.change());
  }

  NewEvent encodeRecord(Record r) {
    return new NewEvent(r.getClass().getSimpleName(), ref(r));
  }

  Record decodeRecord(StoredEvent stored) {
    return (Record) objects.get(Long.parseLong(stored.payload().replaceAll("\\D", "")));
  }

  private String ref(Object o) {
    long id = next.incrementAndGet();
    objects.put(id, o);
    return "{\"ref\":" + id + "}";
  }
}
