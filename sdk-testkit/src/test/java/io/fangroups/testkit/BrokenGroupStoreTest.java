package io.fangroups.testkit;

import io.fangroups.spi.GroupStore;
import io.fangroups.testkit.FlawedGroupStore.Flaw;
import org.junit.jupiter.api.Test;

/** The group store kit catches each deliberately broken store on the rules it breaks, and only there. */
class BrokenGroupStoreTest {
  @Test
  void sequencesRestartingPerAppend_isCaughtByGs1() {
    KitRun.assertCaughtOn(SequencesPerAppend.class, "GS-1", "GS-5", "GS-6", "GS-8", "GS-10", "GS-22", "GS-24", "GS-25",
        "GS-27");
  }
  @Test
  void streamWrittenBeforeTheNextIsChecked_isCaughtByGs2() {
    KitRun.assertCaughtOn(WritesStreamByStream.class, "GS-2");
  }
  @Test
  void streamsWrittenBeforeKeysAreChecked_isCaughtByGs3AndGs7() {
    KitRun.assertCaughtOn(WritesStreamsBeforeKeys.class, "GS-3", "GS-7");
  }
  @Test
  void emptyAppendNotChecked_isCaughtByGs4() {
    KitRun.assertCaughtOn(IgnoresEmptyAppends.class, "GS-4");
  }
  @Test
  void checkThenWriteWithoutALock_isCaughtByTheConcurrencyRules() {
    KitRun.assertCaughtOn(Racy.class, "GS-5", "GS-6", "GS-7", "GS-15", "GS-19", "GS-24");
  }
  @Test
  void keysUpserted_isCaughtByTheKeyRules() {
    KitRun.assertCaughtOn(KeysUpserted.class, "GS-3", "GS-7", "GS-11");
  }
  @Test
  void readSortedAsText_isCaughtByGs8() {
    KitRun.assertCaughtOn(ReadSortedAsText.class, "GS-5", "GS-6", "GS-8", "GS-27");
  }
  @Test
  void staleHeads_isCaughtByGs20() {
    KitRun.assertCaughtOn(HeadsStale.class, "GS-20", "GS-22");
  }
  @Test
  void readIgnoringTheLimit_isCaughtByGs8() {
    KitRun.assertCaughtOn(ReadIgnoresLimit.class, "GS-8", "GS-22");
  }
  @Test
  void payloadsLosingCharactersOutsideTheBmp_isCaughtByGs9() {
    KitRun.assertCaughtOn(PayloadsInUtf8mb3.class, "GS-9");
  }
  @Test
  void streamsIgnoringThePrefix_isCaughtByGs12() {
    KitRun.assertCaughtOn(StreamsIgnorePrefix.class, "GS-12", "GS-20");
  }
  @Test
  void streamsIgnoringAfter_isCaughtByGs12() {
    KitRun.assertCaughtOn(StreamsIgnoreAfter.class, "GS-12", "GS-20");
  }
  @Test
  void streamsPrefixAsLikePattern_isCaughtByGs12() {
    KitRun.assertCaughtOn(StreamsPrefixAsPattern.class, "GS-12");
  }
  @Test
  void streamsSortedIgnoringCase_isCaughtByGs12() {
    KitRun.assertCaughtOn(StreamsSortedIgnoringCase.class, "GS-12");
  }
  @Test
  void namesTruncatedTo100Characters_isCaughtByGs13() {
    KitRun.assertCaughtOn(NamesTruncated.class, "GS-13");
  }
  @Test
  void cursorMovingBackward_isCaughtByTheCursorRules() {
    KitRun.assertCaughtOn(CursorSet.class, "GS-14", "GS-15");
  }
  @Test
  void leaseNeverExpiring_isCaughtByGs16AndGs17() {
    KitRun.assertCaughtOn(LeaseIgnoresExpiry.class, "GS-16", "GS-17");
  }
  @Test
  void renewalNotExtending_isCaughtByGs17() {
    KitRun.assertCaughtOn(RenewalKeepsExpiry.class, "GS-17");
  }
  @Test
  void releaseByAnyone_isCaughtByGs18() {
    KitRun.assertCaughtOn(AnyoneReleases.class, "GS-18");
  }
  @Test
  void secondClientCachingReads_isCaughtByGs10() {
    KitRun.assertCaughtOn(SecondClientCachesReads.class, "GS-10");
  }
  @Test
  void lowerSnapshotReplacingAHigherOne_isCaughtByGs21() {
    KitRun.assertCaughtOn(SnapshotLastWins.class, "GS-21");
  }
  @Test
  void deletedEventsRenumberingTheRest_isCaughtByGs22() {
    KitRun.assertCaughtOn(DeleteEventsRenumbers.class, "GS-22");
  }
  @Test
  void deleteEventsIgnoringTypes_isCaughtByGs22() {
    KitRun.assertCaughtOn(DeleteEventsIgnoresTypes.class, "GS-22");
  }
  @Test
  void deleteStreamIgnoringTheExpectedSequence_isCaughtByGs23AndGs24() {
    KitRun.assertCaughtOn(DeleteStreamIgnoresExpected.class, "GS-23", "GS-24");
  }
  @Test
  void deletedStreamLeavingItsSnapshot_isCaughtByGs23() {
    KitRun.assertCaughtOn(DeleteStreamKeepsSnapshot.class, "GS-23", "GS-25");
  }
  @Test
  void deletedStreamLeavingItsMarkAndRetention_isCaughtByGs23() {
    KitRun.assertCaughtOn(DeleteStreamKeepsMarkAndRetention.class, "GS-23", "GS-25", "GS-26");
  }
  @Test
  void deleteStreamCheckingThenDeletingWithoutTheLock_isCaughtByGs24() {
    KitRun.assertCaughtOn(DeleteStreamUnlocked.class, "GS-24");
  }
  @Test
  void deleteExpiredIgnoringTheLimit_isCaughtByGs25() {
    KitRun.assertCaughtOn(ExpiredIgnoresLimit.class, "GS-25");
  }
  @Test
  void streamKeptAtItsRetentionInstant_isCaughtByGs25() {
    KitRun.assertCaughtOn(ExpiredOnlyBeforeNow.class, "GS-25");
  }
  @Test
  void appendWithoutRetentionClearingIt_isCaughtByGs25() {
    KitRun.assertCaughtOn(RetentionClearedByNull.class, "GS-25");
  }
  @Test
  void conflictingAppendSettingRetentionAndMark_isCaughtByGs25AndGs26() {
    KitRun.assertCaughtOn(ConflictStillNoted.class, "GS-25", "GS-26");
  }
  @Test
  void appendOffTheFeedMarking_isCaughtByGs26() {
    KitRun.assertCaughtOn(MarksWithoutChangeFeed.class, "GS-23", "GS-25", "GS-26");
  }
  @Test
  void changedIgnoringAfter_isCaughtByGs26AndGs27() {
    KitRun.assertCaughtOn(ChangedIgnoresAfter.class, "GS-26", "GS-27");
  }
  @Test
  void markKeepingTheSequenceThatSetIt_isCaughtByGs26() {
    KitRun.assertCaughtOn(MarkKeepsItsSequence.class, "GS-26");
  }
  @Test
  void clearChangedRemovingTheMarkWhateverTheSequence_isCaughtByGs26AndGs27() {
    KitRun.assertCaughtOn(ClearUnconditional.class, "GS-26", "GS-27");
  }
  @Test
  void clearChangedCheckingThenDeletingTheMark_isCaughtByGs27() {
    KitRun.assertCaughtOn(ClearCheckThenDelete.class, "GS-27");
  }

  /** The kit run against a {@link FlawedGroupStore}. */
  private abstract static class Twin extends GroupStoreCompatibilityKit {
    private final Flaw flaw;

    Twin(Flaw flaw) {
      this.flaw = flaw;
    }

    @Override
    protected GroupStore newStore() {
      return new FlawedGroupStore(flaw);
    }
  }

  @BrokenTwin
  static final class SequencesPerAppend extends Twin {
    SequencesPerAppend() { super(Flaw.SEQUENCES_PER_APPEND); }
  }

  @BrokenTwin
  static final class WritesStreamByStream extends Twin {
    WritesStreamByStream() { super(Flaw.WRITES_STREAM_BY_STREAM); }
  }

  @BrokenTwin
  static final class WritesStreamsBeforeKeys extends Twin {
    WritesStreamsBeforeKeys() { super(Flaw.WRITES_STREAMS_BEFORE_KEYS); }
  }

  @BrokenTwin
  static final class IgnoresEmptyAppends extends Twin {
    IgnoresEmptyAppends() { super(Flaw.IGNORES_EMPTY_APPENDS); }
  }

  @BrokenTwin
  static final class Racy extends Twin {
    Racy() { super(Flaw.RACY); }
  }

  @BrokenTwin
  static final class KeysUpserted extends Twin {
    KeysUpserted() { super(Flaw.KEYS_UPSERTED); }
  }

  @BrokenTwin
  static final class ReadSortedAsText extends Twin {
    ReadSortedAsText() { super(Flaw.READ_SORTED_AS_TEXT); }
  }

  @BrokenTwin
  static final class ReadIgnoresLimit extends Twin {
    ReadIgnoresLimit() { super(Flaw.READ_IGNORES_LIMIT); }
  }

  @BrokenTwin
  static final class PayloadsInUtf8mb3 extends Twin {
    PayloadsInUtf8mb3() { super(Flaw.PAYLOADS_IN_UTF8MB3); }
  }

  @BrokenTwin
  static final class HeadsStale extends Twin {
    HeadsStale() { super(Flaw.HEADS_STALE); }
  }

  @BrokenTwin
  static final class StreamsIgnorePrefix extends Twin {
    StreamsIgnorePrefix() { super(Flaw.STREAMS_IGNORE_PREFIX); }
  }

  @BrokenTwin
  static final class StreamsIgnoreAfter extends Twin {
    StreamsIgnoreAfter() { super(Flaw.STREAMS_IGNORE_AFTER); }
  }

  @BrokenTwin
  static final class StreamsPrefixAsPattern extends Twin {
    StreamsPrefixAsPattern() { super(Flaw.STREAMS_PREFIX_AS_PATTERN); }
  }

  @BrokenTwin
  static final class StreamsSortedIgnoringCase extends Twin {
    StreamsSortedIgnoringCase() { super(Flaw.STREAMS_SORTED_IGNORING_CASE); }
  }

  @BrokenTwin
  static final class NamesTruncated extends Twin {
    NamesTruncated() { super(Flaw.NAMES_TRUNCATED); }
  }

  @BrokenTwin
  static final class CursorSet extends Twin {
    CursorSet() { super(Flaw.CURSOR_SET); }
  }

  @BrokenTwin
  static final class LeaseIgnoresExpiry extends Twin {
    LeaseIgnoresExpiry() { super(Flaw.LEASE_IGNORES_EXPIRY); }
  }

  @BrokenTwin
  static final class RenewalKeepsExpiry extends Twin {
    RenewalKeepsExpiry() { super(Flaw.RENEWAL_KEEPS_EXPIRY); }
  }

  @BrokenTwin
  static final class AnyoneReleases extends Twin {
    AnyoneReleases() { super(Flaw.ANYONE_RELEASES); }
  }

  @BrokenTwin
  static final class SnapshotLastWins extends Twin {
    SnapshotLastWins() { super(Flaw.SNAPSHOT_LAST_WINS); }
  }

  @BrokenTwin
  static final class DeleteEventsRenumbers extends Twin {
    DeleteEventsRenumbers() { super(Flaw.DELETE_EVENTS_RENUMBERS); }
  }

  @BrokenTwin
  static final class DeleteEventsIgnoresTypes extends Twin {
    DeleteEventsIgnoresTypes() { super(Flaw.DELETE_EVENTS_IGNORES_TYPES); }
  }

  @BrokenTwin
  static final class DeleteStreamIgnoresExpected extends Twin {
    DeleteStreamIgnoresExpected() { super(Flaw.DELETE_STREAM_IGNORES_EXPECTED); }
  }

  @BrokenTwin
  static final class DeleteStreamKeepsSnapshot extends Twin {
    DeleteStreamKeepsSnapshot() { super(Flaw.DELETE_STREAM_KEEPS_SNAPSHOT); }
  }

  @BrokenTwin
  static final class DeleteStreamKeepsMarkAndRetention extends Twin {
    DeleteStreamKeepsMarkAndRetention() { super(Flaw.DELETE_STREAM_KEEPS_MARK_AND_RETENTION); }
  }

  @BrokenTwin
  static final class DeleteStreamUnlocked extends Twin {
    DeleteStreamUnlocked() { super(Flaw.DELETE_STREAM_UNLOCKED); }
  }

  @BrokenTwin
  static final class ExpiredIgnoresLimit extends Twin {
    ExpiredIgnoresLimit() { super(Flaw.EXPIRED_IGNORES_LIMIT); }
  }

  @BrokenTwin
  static final class ExpiredOnlyBeforeNow extends Twin {
    ExpiredOnlyBeforeNow() { super(Flaw.EXPIRED_ONLY_BEFORE_NOW); }
  }

  @BrokenTwin
  static final class RetentionClearedByNull extends Twin {
    RetentionClearedByNull() { super(Flaw.RETENTION_CLEARED_BY_NULL); }
  }

  @BrokenTwin
  static final class ConflictStillNoted extends Twin {
    ConflictStillNoted() { super(Flaw.CONFLICT_STILL_NOTED); }
  }

  @BrokenTwin
  static final class MarksWithoutChangeFeed extends Twin {
    MarksWithoutChangeFeed() { super(Flaw.MARKS_WITHOUT_CHANGE_FEED); }
  }

  @BrokenTwin
  static final class ChangedIgnoresAfter extends Twin {
    ChangedIgnoresAfter() { super(Flaw.CHANGED_IGNORES_AFTER); }
  }

  @BrokenTwin
  static final class MarkKeepsItsSequence extends Twin {
    MarkKeepsItsSequence() { super(Flaw.MARK_KEEPS_ITS_SEQUENCE); }
  }

  @BrokenTwin
  static final class ClearUnconditional extends Twin {
    ClearUnconditional() { super(Flaw.CLEAR_UNCONDITIONAL); }
  }

  @BrokenTwin
  static final class ClearCheckThenDelete extends Twin {
    ClearCheckThenDelete() { super(Flaw.CLEAR_CHECK_THEN_DELETE); }
  }

  /** A correct store whose second client, as another process, answers reads from what it read before. */
  @BrokenTwin
  static final class SecondClientCachesReads extends GroupStoreCompatibilityKit {
    @Override
    protected GroupStore newStore() {
      return new FlawedGroupStore(Flaw.NONE);
    }

    @Override
    protected GroupStore secondClient(GroupStore first) {
      return new FlawedGroupStore.ReadCachingClient(first);
    }
  }
}
