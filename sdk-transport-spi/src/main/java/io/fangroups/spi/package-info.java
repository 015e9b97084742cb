/** Service-provider interfaces a host platform implements to connect the SDK to its infrastructure. */
package io.fangroups.spi;
