package io.fangroups.core.passcode;

/** The two code lengths. Both end with one check symbol. */
public enum PasscodeProfile {
  /**
   * 12 random symbols (60 bits) and a check symbol, shown as {@code XXXX-XXXX-XXXXX}. The only
   * profile accepted from free pasted text.
   */
  STANDARD(12),
  /**
   * 8 random symbols (40 bits) and a check symbol, shown as {@code XXXX-XXXXX}. Accepted only when
   * checked against one known group, where guessing is bounded per group.
   */
  SHORT(8);

  private final int bodyLength;

  PasscodeProfile(int bodyLength) {
    this.bodyLength = bodyLength;
  }

  /** Random symbols before the check symbol. */
  public int bodyLength() {
    return bodyLength;
  }

  /** Symbols in all, check symbol included. */
  public int length() {
    return bodyLength + 1;
  }

  /** Random bits in a code. */
  public int entropyBits() {
    return bodyLength * 5;
  }
}
