/**
 * A {@link io.fangroups.spi.GroupStore} on PostgreSQL over JDBC: {@link
 * io.fangroups.postgres.PostgresMigrations} creates the tables, {@link
 * io.fangroups.postgres.PostgresGroupStore} reads and writes them through the host's pool, and {@link
 * io.fangroups.postgres.PostgresWallet} keeps a red-packet {@link io.fangroups.spi.Wallet} and {@link
 * io.fangroups.postgres.PostgresAttemptLimiter} the passcode attempt counts of every server in the
 * same database.
 */
package io.fangroups.postgres;
