/**
 * Group red packets (群聊红包): sending, claiming and what a packet shows. Money moves through the
 * host's {@link io.fangroups.spi.Wallet}.
 */
@NullMarked
package io.fangroups.core.redpacket;

import org.jspecify.annotations.NullMarked;
