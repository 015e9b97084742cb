/** Admission policies: who may join a group, decided on apply and again on approval. */
@NullMarked
package io.fangroups.core.admission;

import org.jspecify.annotations.NullMarked;
