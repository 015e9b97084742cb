package io.fangroups.core;

import io.fangroups.core.internal.Checks;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The result of a bulk approve or reject: one item per requested id, in the order given. Each item
 * is its own atomic step; a failing item does not undo the others.
 *
 * @param items one per request id
 */
public record BulkResult(List<Item> items) {
  /** Validates the components: {@link ErrorCode#INVALID_ARGUMENT} for a null or bad value. */
  public BulkResult {
    items = Checks.noNulls(items, "items");
  }

  /** How many items ended with {@code outcome}. */
  public long count(Outcome outcome) {
    return items.stream().filter(i -> i.outcome() == outcome).count();
  }

  /** Counts per outcome, for logs and summaries. */
  public Map<Outcome, Long> counts() {
    return items.stream().collect(Collectors.groupingBy(Item::outcome, Collectors.counting()));
  }

  /** What happened to one request of a bulk command. */
  public enum Outcome {
    /** Approved: the applicant is a member. */
    APPROVED,
    /** Rejected as asked. */
    REJECTED,
    /** Not approved: the group is full. The request stays pending. */
    GROUP_FULL,
    /** Not approved: the policy now denies the applicant. The request stays pending. */
    NOT_ELIGIBLE,
    /** The request was no longer pending (handled, withdrawn, expired or cancelled). */
    ALREADY_HANDLED,
    /** No request has this id. */
    NOT_FOUND,
    /** Any other refusal; see the item's error code. */
    FAILED;

    static Outcome of(ErrorCode code) {
      return switch (code) {
        case GROUP_FULL -> GROUP_FULL;
        case NOT_ELIGIBLE -> NOT_ELIGIBLE;
        case REQUEST_NOT_PENDING -> ALREADY_HANDLED;
        case REQUEST_NOT_FOUND -> NOT_FOUND;
        default -> FAILED;
      };
    }
  }

  /**
   * One request's result.
   *
   * @param request the request id as given
   * @param outcome what happened
   * @param error the error code when it was not approved or rejected as asked
   * @param message a human explanation when it failed
   */
  public record Item(RequestId request, Outcome outcome, Optional<ErrorCode> error, String message) {
    /** Validates the components: {@link ErrorCode#INVALID_ARGUMENT} for a null or bad value. */
    public Item {
      Checks.notNull(request, "request");
      Checks.notNull(outcome, "outcome");
      Checks.notNull(error, "error");
      Checks.notNull(message, "message");
    }

    static Item done(RequestId request, Outcome outcome) {
      return new Item(request, outcome, Optional.empty(), "");
    }

    static Item failed(RequestId request, FanGroupsException e) {
      return new Item(request, Outcome.of(e.code()), Optional.of(e.code()), e.getMessage());
    }
  }

  public static <T> BulkResult run(List<RequestId> ids, Outcome success, Function<RequestId, T> step) {
    return new BulkResult(Checks.noNulls(ids, "requests").stream().map(id -> {
      try {
        step.apply(id);
        return Item.done(id, success);
      } catch (FanGroupsException e) {
        return Item.failed(id, e);
      }
    }).toList());
  }
}
