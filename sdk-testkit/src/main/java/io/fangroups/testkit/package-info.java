/** Compatibility kits that an SPI implementation runs to prove it keeps the contract. */
package io.fangroups.testkit;
