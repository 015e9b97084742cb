package io.fangroups.examples.http;

import io.fangroups.core.BulkResult;
import io.fangroups.core.ErrorCode;
import io.fangroups.core.RequestId;
import java.util.List;
import java.util.Optional;

/**
 * A bulk approval or rejection: one item per request id, in the order given.
 *
 * @param items one per id
 */
record BulkView(List<Item> items) {
  /**
   * One request's result.
   *
   * @param request the id as given
   * @param outcome APPROVED, REJECTED, GROUP_FULL, NOT_ELIGIBLE, ALREADY_HANDLED, NOT_FOUND or FAILED
   * @param error the SDK's code when it was not approved or rejected as asked
   * @param message what went wrong, when it did
   */
  record Item(RequestId request, BulkResult.Outcome outcome, Optional<ErrorCode> error, Optional<String> message) {}

  static BulkView of(BulkResult result) {
    return new BulkView(result.items().stream().map(i -> new Item(i.request(), i.outcome(), i.error(),
        i.error().map(code -> ErrorBody.withoutCode(code, i.message())))).toList());
  }
}
