package io.fangroups.core.passcode;

/** What redeeming a passcode does once the code is live and the admission policy allows. */
public enum PasscodeMode {
  /** The fan joins at once (a REVIEW verdict still makes a request). Takes a use and a seat together. */
  JOIN,
  /** The fan gets a pending join request, like the apply button. Takes a use when the request is made. */
  REQUEST
}
