/**
 * The JDBC plumbing the example stores ({@code postgres-store}, {@code mysql-store}) share; nothing
 * here knows a dialect.
 */
@NullMarked
package io.fangroups.examples.jdbc;

import org.jspecify.annotations.NullMarked;
