/** JMH benchmarks. */
package io.fangroups.benchmarks;
