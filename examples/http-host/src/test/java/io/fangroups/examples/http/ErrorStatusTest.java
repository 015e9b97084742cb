package io.fangroups.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.fangroups.core.ErrorCode;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorStatusTest {

  @Test
  void of_givesEveryErrorCodeAClientOrRetryStatus() {
    Map<ErrorCode, Integer> statuses = new EnumMap<>(ErrorCode.class);
    for (ErrorCode code : ErrorCode.values()) {
      statuses.put(code, ErrorStatus.of(code));
    }
    assertThat(statuses).hasSize(ErrorCode.values().length);
    assertThat(statuses.values()).allSatisfy(status -> assertThat(status).isIn(400, 403, 404, 409, 410, 422, 429, 503));
  }

  @Test
  void of_followsTheDocumentedTable() {
    assertThat(ErrorStatus.of(ErrorCode.INVALID_ARGUMENT)).isEqualTo(400);
    assertThat(ErrorStatus.of(ErrorCode.MESSAGE_TOO_LONG)).isEqualTo(400);
    assertThat(ErrorStatus.of(ErrorCode.INVALID_URL)).isEqualTo(400);
    assertThat(ErrorStatus.of(ErrorCode.PASSCODE_MALFORMED)).isEqualTo(400);
    assertThat(ErrorStatus.of(ErrorCode.IDEMPOTENCY_KEY_REUSED)).isEqualTo(422);
    assertThat(ErrorStatus.of(ErrorCode.NOT_PERMITTED)).isEqualTo(403);
    assertThat(ErrorStatus.of(ErrorCode.NOT_ELIGIBLE)).isEqualTo(403);
    assertThat(ErrorStatus.of(ErrorCode.BANNED)).isEqualTo(403);
    assertThat(ErrorStatus.of(ErrorCode.MUTED)).isEqualTo(403);
    assertThat(ErrorStatus.of(ErrorCode.GROUP_NOT_FOUND)).isEqualTo(404);
    assertThat(ErrorStatus.of(ErrorCode.REQUEST_NOT_FOUND)).isEqualTo(404);
    assertThat(ErrorStatus.of(ErrorCode.GROUP_FULL)).isEqualTo(409);
    assertThat(ErrorStatus.of(ErrorCode.ALREADY_MEMBER)).isEqualTo(409);
    assertThat(ErrorStatus.of(ErrorCode.REQUEST_NOT_PENDING)).isEqualTo(409);
    assertThat(ErrorStatus.of(ErrorCode.REQUEST_ALREADY_PENDING)).isEqualTo(409);
    assertThat(ErrorStatus.of(ErrorCode.QUOTA_EXCEEDED)).isEqualTo(409);
    assertThat(ErrorStatus.of(ErrorCode.PASSCODE_EXPIRED)).isEqualTo(410);
    assertThat(ErrorStatus.of(ErrorCode.RATE_LIMITED)).isEqualTo(429);
    assertThat(ErrorStatus.of(ErrorCode.SLOW_MODE)).isEqualTo(429);
    assertThat(ErrorStatus.of(ErrorCode.POLICY_FAILED)).isEqualTo(503);
    assertThat(ErrorStatus.of(ErrorCode.JOIN_HOOK_FAILED)).isEqualTo(503);
    assertThat(ErrorStatus.of(ErrorCode.RED_PACKET_NOT_FOUND)).isEqualTo(404);
    assertThat(ErrorStatus.of(ErrorCode.RED_PACKET_EMPTY)).isEqualTo(410);
    assertThat(ErrorStatus.of(ErrorCode.RED_PACKET_EXPIRED)).isEqualTo(410);
    assertThat(ErrorStatus.of(ErrorCode.ALREADY_CLAIMED)).isEqualTo(409);
    assertThat(ErrorStatus.of(ErrorCode.WRONG_PHRASE)).isEqualTo(403);
    assertThat(ErrorStatus.of(ErrorCode.WALLET_DECLINED)).isEqualTo(409);
  }

  @Test
  void of_sendsEveryNotFoundCodeTo404() {
    for (ErrorCode code : ErrorCode.values()) {
      if (code.name().endsWith("_NOT_FOUND")) {
        assertThat(ErrorStatus.of(code)).as(code.name()).isEqualTo(404);
      }
    }
  }
}
