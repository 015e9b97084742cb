package io.fangroups.core.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opt-in {@link ServiceLoader} discovery of SPI implementations, done safely in the SLF4J 2 manner:
 * a provider that fails to load is skipped with a warning and never breaks the others; with several
 * candidates the system property {@code fangroups.provider.<Spi>} (the simple interface name, e.g.
 * {@code fangroups.provider.FactSource}) names the one to use (naming none that was found fails the
 * build), otherwise the first by class name is taken and a warning lists them all.
 */
public final class ProviderDiscovery {
  private static final Logger log = LoggerFactory.getLogger(ProviderDiscovery.class);

  private ProviderDiscovery() {}

  public static <T> Optional<T> discover(Class<T> spi, ClassLoader loader) {
    List<T> found = new ArrayList<>();
    var iterator = ServiceLoader.load(spi, loader).iterator();
    while (true) {
      try {
        if (!iterator.hasNext()) {
          break;
        }
        found.add(iterator.next());
      } catch (ServiceConfigurationError | LinkageError e) {
        // A provider compiled for a newer Java, or missing a dependency, must not break the others.
        log.warn("fangroups: skipping a {} provider that failed to load: {}", spi.getSimpleName(), e.toString());
      }
    }
    if (found.isEmpty()) {
      return Optional.empty();
    }
    found.sort(Comparator.comparing(p -> p.getClass().getName()));
    String property = "fangroups.provider." + spi.getSimpleName();
    String wanted = System.getProperty(property);
    if (wanted != null) {
      Optional<T> chosen = found.stream().filter(p -> p.getClass().getName().equals(wanted)).findFirst();
      if (chosen.isEmpty()) {
        // Fail loudly: silently running without, say, the pre-join hook would let every application through.
        throw new IllegalStateException(property + "=" + wanted + " names no discovered provider; candidates: "
            + names(found));
      }
      return chosen;
    }
    if (found.size() > 1) {
      log.warn("fangroups: several {} providers found: {}; using {}. Set -D{}=<class> to choose.",
          spi.getSimpleName(), names(found), found.get(0).getClass().getName(), property);
    }
    log.info("fangroups: discovered {} provider {}", spi.getSimpleName(), found.get(0).getClass().getName());
    return Optional.of(found.get(0));
  }

  private static List<String> names(List<?> providers) {
    return providers.stream().map(p -> p.getClass().getName()).toList();
  }
}
