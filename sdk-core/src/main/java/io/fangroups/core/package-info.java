/** The API a host calls: {@link io.fangroups.core.FanGroups} and its builder, commands' context, ids, settings, results and errors. */
@NullMarked
package io.fangroups.core;

import org.jspecify.annotations.NullMarked;
