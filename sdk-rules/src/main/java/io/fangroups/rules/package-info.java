/**
 * Admission rules: facts about an applicant, rules over them, explained decisions. Nothing is
 * null unless marked {@code @Nullable}.
 */
@NullMarked
package io.fangroups.rules;

import org.jspecify.annotations.NullMarked;
