/**
 * Compatibility kits that an SPI implementation runs to prove it keeps the contract, and the test
 * helpers a host's own tests can use: a {@link io.fangroups.testkit.MutableClock} the test moves by
 * hand, and {@link io.fangroups.testkit.Concurrently} to run calls on threads released together.
 */
@NullMarked
package io.fangroups.testkit;

import org.jspecify.annotations.NullMarked;
