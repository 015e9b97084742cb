package io.fangroups.core;

import io.fangroups.core.admission.AdmissionDecision;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The one unchecked exception the SDK throws. {@link #code()} is stable and documented in
 * {@link ErrorCode}; the message says what was wrong and what to do. A command that throws has
 * changed nothing.
 */
public class FanGroupsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final transient @Nullable AdmissionDecision decision;

  /** An exception with a code and a message saying what was wrong and what to do. */
  public FanGroupsException(ErrorCode code, String message) {
    this(code, message, null, null);
  }

  /** An exception with a code, a message and the implementer's exception it wraps. */
  public FanGroupsException(ErrorCode code, String message, Throwable cause) {
    this(code, message, null, cause);
  }

  public FanGroupsException(ErrorCode code, String message, @Nullable AdmissionDecision decision,
      @Nullable Throwable cause) {
    super(Objects.requireNonNull(code, "code") + ": " + message, cause);
    this.code = code;
    this.decision = decision;
  }

  /** The stable error code. */
  public ErrorCode code() {
    return code;
  }

  /** For {@link ErrorCode#NOT_ELIGIBLE}: the admission decision with its reasons. */
  public Optional<AdmissionDecision> decision() {
    return Optional.ofNullable(decision);
  }
}
