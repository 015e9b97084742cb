/** The changes a group goes through, as events with a gapless sequence and attribution, their listeners and the outbox relay. */
@NullMarked
package io.fangroups.core.event;

import org.jspecify.annotations.NullMarked;
