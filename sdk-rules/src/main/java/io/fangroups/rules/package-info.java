/** Admission rules: facts about an applicant, rules over them, explained decisions. */
package io.fangroups.rules;
