package io.fangroups.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.fangroups.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Reads never append: an overdue request reads as expired (at its expiry) without anything being
 * written; the expiry is recorded by the next command on the group or the host's schedule, with
 * the same time the reads showed.
 */
class QueriesDoNotWriteTest {
  private final MutableClock clock = MutableClock.of(Instant.parse("2026-03-01T08:00:00Z"));
  private final FanGroups fanGroups = FanGroups.builder().clock(clock).requestTtl(Duration.ofHours(1)).build();
  private final CommandContext owner = CommandContext.of("owner");

  @Test
  void overdueRequest_readsAsExpired_withoutAnEventUntilACommandRecordsIt() {
    GroupId group = fanGroups.createGroup(owner, GroupSettings.builder().name("审核群").joinMode(JoinMode.APPROVAL)
        .build()).id();
    JoinRequest applied = fanGroups.apply(CommandContext.of("fan"), group, JoinSource.BUTTON).request().orElseThrow();
    long before = fanGroups.group(group).lastSequence();
    clock.advance(Duration.ofHours(2));

    assertThat(fanGroups.pendingRequests(group)).isEmpty();
    JoinRequest read = fanGroups.request(applied.id());
    assertThat(read.status()).isEqualTo(RequestStatus.EXPIRED);
    assertThat(read.handledAt()).contains(applied.expiresAt());
    assertThat(fanGroups.group(group).pendingRequests()).isZero();
    assertThat(fanGroups.group(group).lastSequence()).as("no query wrote").isEqualTo(before);
    assertThat(fanGroups.events(group, 0, 100)).hasSize((int) before);

    assertThat(fanGroups.expireOverdueRequests()).isEqualTo(1);
    assertThat(fanGroups.group(group).lastSequence()).isEqualTo(before + 1);
    assertThat(fanGroups.request(applied.id())).as("recorded as it read").isEqualTo(read);
    Instant expired = fanGroups.request(applied.id()).handledAt().orElseThrow();
    assertThat(expired).isEqualTo(applied.expiresAt());
    assertThat(fanGroups.request(applied.id()).handledBy()).isEqualTo(Optional.empty());
  }
}
