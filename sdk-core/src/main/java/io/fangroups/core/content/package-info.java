/** What members post into a group: text, announcements, video cards and product links. */
@NullMarked
package io.fangroups.core.content;

import org.jspecify.annotations.NullMarked;
