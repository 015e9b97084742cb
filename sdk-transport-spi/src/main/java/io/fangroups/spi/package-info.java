/** Service-provider interfaces a host platform implements to connect the SDK to its infrastructure. */
@NullMarked
package io.fangroups.spi;

import org.jspecify.annotations.NullMarked;
