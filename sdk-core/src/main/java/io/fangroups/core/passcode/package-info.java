/**
 * Passcodes (群口令): the code format with its check symbol, canonical and display forms, and
 * extraction of codes from pasted text. Pure functions, no state; the group service stores codes.
 */
@NullMarked
package io.fangroups.core.passcode;

import org.jspecify.annotations.NullMarked;
