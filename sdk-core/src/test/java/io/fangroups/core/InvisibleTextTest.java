package io.fangroups.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import io.fangroups.core.content.MessageContent;
import io.fangroups.core.passcode.PasscodeSpec;
import io.fangroups.core.redpacket.RedPacketSpec;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Names and texts people see are refused when they show nothing (only zero-width, format, blank or
 * filler characters) or carry bidirectional overrides and isolates, on every path that takes one.
 */
class InvisibleTextTest extends Fixture {
  /** Characters that show nothing, one per kind. */
  private static final List<String> INVISIBLE = List.of(
      "\u200B", "\u200C", "\u200D", "\u2060", "\uFEFF", "\u200E", "\u200F", "\u061C", "\u00AD", "\u034F",
      "\u3164", "\u115F", "\u1160", "\uFFA0", "\u2800", "\uFE0F", "\u180E", "\u17B4", "\u3000", "\u00A0",
      "\u2003", "\u202F", "\u205F", new String(Character.toChars(0xE0041)), new String(Character.toChars(0xE0100)));
  private static final List<String> BIDI_CONTROLS = List.of(
      "\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u2066", "\u2067", "\u2068", "\u2069");

  /** Every public path that takes a name or a text people see. */
  private List<Consumer<String>> paths() {
    GroupInfo g = group("g", 200, JoinMode.OPEN);
    return List.of(
        text -> GroupSettings.of(text, 200),
        text -> groups.createFamily(asCreator(), text),
        text -> PasscodeSpec.forGroup(g.id()).label(text).build(),
        text -> new MessageContent.Text(text),
        text -> new MessageContent.Announcement(text),
        text -> new MessageContent.VideoCard("v1", text, false, "https://cdn.example.com/cover.jpg"),
        text -> RedPacketSpec.lucky(100, "CNY", 1).withGreeting(text),
        text -> RedPacketSpec.phrase(100, "CNY", 1, text),
        text -> asCreator().withReason(text));
  }

  @Test
  void invisibleOnly_isRefusedOnEveryPath() {
    for (Consumer<String> path : paths()) {
      path.accept("小鹿粉丝群"); // the path itself takes visible text
      for (String c : INVISIBLE) {
        assertCode(ErrorCode.INVALID_ARGUMENT, () -> path.accept(c));
        assertCode(ErrorCode.INVALID_ARGUMENT, () -> path.accept(c + c + " " + c));
      }
    }
  }

  @Test
  void bidiControls_areRefusedAnywhere() {
    for (Consumer<String> path : paths()) {
      for (String c : BIDI_CONTROLS) {
        assertCode(ErrorCode.INVALID_ARGUMENT, () -> path.accept("小鹿" + c + "粉丝群"));
      }
    }
  }

  @Test
  void visibleText_withJoinersMarksAndOtherScripts_isKept() {
    for (String text : List.of("👨‍👩‍👧 family", "❤️ fans", "מעריצים", "المعجبون\u200F", "小鹿\u200B的群", "Ⓐ", "ㄱ", "⠁")) {
      assertThat(GroupSettings.of(text, 200).name()).isEqualTo(text);
    }
  }

  @Test
  void property_visibleTextSurvivesSprinkledInvisibles_andInvisiblesAloneNeverDo() {
    int[] visible = "小鹿粉丝群abcXYZ0-9😀ñمע".codePoints().toArray();
    qt().withExamples(3000).forAll(integers().between(1, 15), longs().all()).checkAssert((length, seed) -> {
      Random random = new Random(seed);
      StringBuilder mixed = new StringBuilder();
      StringBuilder blank = new StringBuilder();
      for (int i = 0; i < length; i++) {
        String invisible = INVISIBLE.get(random.nextInt(INVISIBLE.size()));
        blank.append(invisible);
        mixed.append(random.nextBoolean() ? invisible : "");
        mixed.appendCodePoint(visible[random.nextInt(visible.length)]);
      }
      String name = mixed.toString(); // at most 30 code points
      assertThat(Refusal.codeOf(() -> GroupSettings.of(name, 200))).as(name).isNull();
      assertCode(ErrorCode.INVALID_ARGUMENT, () -> new MessageContent.Text(blank.toString()));
    });
  }
}
