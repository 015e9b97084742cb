package io.fangroups.examples.modulecheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.lang.module.ResolvedModule;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The published jars as a host on the module path gets them: the module graph resolves from the
 * jars alone, and each module exports its API and nothing else. The API is derived, not listed:
 * every package with a public type is exported unless it is internal (a package named
 * {@code internal} or under one), and no internal package is exported to everyone. A module without
 * a {@code module-info} (an automatic module) exports all its packages, so it passes only while it
 * has no internal package.
 *
 * <p>Runs in {@code verify}, after {@code package}: in the reactor the published modules then
 * resolve to their jars under {@code target/}, which is what this checks.
 */
class PublishedModulesIT {
  /** The modules published to Maven Central: this module's dependencies. */
  private static final Set<String> PUBLISHED =
      Set.of("io.fangroups.spi", "io.fangroups.rules", "io.fangroups.core", "io.fangroups.testkit");

  private static Configuration graph;
  private static ModuleLayer layer;

  @BeforeAll
  static void resolveThePublishedModulesFromTheirJars() {
    Path[] jars = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(Path::of)
        .filter(path -> path.toString().endsWith(".jar") && Files.isRegularFile(path))
        .toArray(Path[]::new);
    graph = ModuleLayer.boot().configuration().resolve(ModuleFinder.of(jars), ModuleFinder.of(), PUBLISHED);
    layer = ModuleLayer.boot().defineModulesWithOneLoader(graph, ClassLoader.getPlatformClassLoader());
  }

  @Test
  void graph_resolvesEveryPublishedModuleFromItsPackagedJar() {
    for (String name : PUBLISHED) {
      ResolvedModule module = graph.findModule(name).orElseThrow();
      String location = module.reference().location().orElseThrow().toString();
      assertThat(location).as("where %s was found (run `mvn verify`: a jar, not target/classes)", name)
          .endsWith(".jar");
    }
  }

  @Test
  void exports_noInternalPackage() {
    assertSoftly(softly -> {
      for (String name : PUBLISHED) {
        softly.assertThat(exported(descriptor(name))).as("packages %s exports to every module", name)
            .noneMatch(PublishedModulesIT::isInternal);
      }
    });
  }

  @Test
  void exports_everyPackageWithAPublicTypeThatIsNotInternal() {
    assertSoftly(softly -> {
      for (String name : PUBLISHED) {
        ModuleDescriptor descriptor = descriptor(name);
        Set<String> api = descriptor.packages().stream()
            .filter(p -> !isInternal(p) && hasPublicType(name, p))
            .collect(Collectors.toCollection(TreeSet::new));
        softly.assertThat(api).as("API packages of %s (public types, not internal)", name).isNotEmpty();
        softly.assertThat(exported(descriptor)).as("packages %s exports to every module", name)
            .containsExactlyInAnyOrderElementsOf(api);
      }
    });
  }

  private static ModuleDescriptor descriptor(String name) {
    return graph.findModule(name).orElseThrow().reference().descriptor();
  }

  /** The packages every module can read: all of an automatic module's, an explicit one's unqualified exports. */
  private static Set<String> exported(ModuleDescriptor descriptor) {
    if (descriptor.isAutomatic()) {
      return new TreeSet<>(descriptor.packages());
    }
    return descriptor.exports().stream()
        .filter(export -> !export.isQualified())
        .map(ModuleDescriptor.Exports::source)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static boolean isInternal(String pkg) {
    return List.of(pkg.split("\\.")).contains("internal");
  }

  /** Whether a top-level class of {@code pkg} in the module is public, loaded from the layer without initialising it. */
  private static boolean hasPublicType(String moduleName, String pkg) {
    Module module = layer.findModule(moduleName).orElseThrow();
    String dir = pkg.replace('.', '/') + '/';
    try (ModuleReader reader = reference(moduleName).open(); Stream<String> entries = reader.list()) {
      return entries
          .filter(e -> e.startsWith(dir) && e.endsWith(".class") && e.indexOf('/', dir.length()) < 0)
          .map(e -> e.substring(0, e.length() - ".class".length()).replace('/', '.'))
          .filter(className -> !className.contains("$") && !className.endsWith(".package-info"))
          .map(className -> Class.forName(module, className))
          .anyMatch(type -> type != null && Modifier.isPublic(type.getModifiers()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ModuleReference reference(String name) {
    return graph.findModule(name).orElseThrow().reference();
  }
}
