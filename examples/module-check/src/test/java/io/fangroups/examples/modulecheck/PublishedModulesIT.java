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

  /**
   * The SDK works on the module path, not just resolves: from the layer, through the exported API
   * only, a group is made, a fan joins, a rule (sdk-rules reads its JSON with Jackson) denies
   * another with its explanation rendered from the bundled Chinese messages, and the relay writes
   * the events as JSON for a publisher.
   */
  @Test
  void sdk_onTheModulePath_joinsDeniesWithAnExplanationAndPublishes() throws Exception {
    ClassLoader loader = layer.findLoader("io.fangroups.core");
    Class<?> fanGroupsType = loader.loadClass("io.fangroups.core.FanGroups");
    Class<?> contextType = loader.loadClass("io.fangroups.core.CommandContext");
    Class<?> settingsType = loader.loadClass("io.fangroups.core.GroupSettings");
    Class<?> sourceType = loader.loadClass("io.fangroups.core.JoinSource");
    Class<?> groupIdType = loader.loadClass("io.fangroups.core.GroupId");
    Class<?> publisherType = loader.loadClass("io.fangroups.spi.EventPublisher");
    List<String> published = new java.util.concurrent.CopyOnWriteArrayList<>();
    Object publisher = java.lang.reflect.Proxy.newProxyInstance(loader, new Class<?>[] {publisherType},
        (proxy, method, args) -> {
          if (!method.getName().equals("publish")) {
            return method.invoke(this, args);
          }
          published.add((String) args[0].getClass().getMethod("json").invoke(args[0]));
          return java.util.concurrent.CompletableFuture.completedFuture(null);
        });
    Object builder = fanGroupsType.getMethod("builder").invoke(null);
    builder = builder.getClass().getMethod("eventPublisher", publisherType).invoke(builder, publisher);
    builder = builder.getClass().getMethod("startRelay", boolean.class).invoke(builder, false);
    Object fanGroups = builder.getClass().getMethod("build").invoke(builder);
    Object owner = contextType.getMethod("of", String.class).invoke(null, "owner");
    Object settings = settingsType.getMethod("of", String.class, int.class).invoke(null, "粉丝群", 200);
    Object group = fanGroupsType.getMethod("createGroup", contextType, settingsType).invoke(fanGroups, owner, settings);
    Object groupId = group.getClass().getMethod("id").invoke(group);
    Object button = Enum.valueOf(sourceType.asSubclass(Enum.class), "BUTTON");
    Object joined = fanGroupsType.getMethod("apply", contextType, groupIdType, sourceType)
        .invoke(fanGroups, contextType.getMethod("of", String.class).invoke(null, "fan-1"), groupId, button);
    assertThat((java.util.Optional<?>) joined.getClass().getMethod("member").invoke(joined)).isPresent();

    Class<?> compilerType = loader.loadClass("io.fangroups.rules.RuleCompiler");
    Object compiler = compilerType.getMethod("of").invoke(null);
    Object rule = compilerType.getMethod("compile", String.class).invoke(compiler,
        "{\"version\":1,\"rule\":{\"fact\":\"days_following\",\"op\":\">=\",\"value\":7}}");
    Class<?> factsType = loader.loadClass("io.fangroups.rules.Facts");
    Object facts = rule.getClass().getMethod("newFacts").invoke(rule);
    factsType.getMethod("set", String.class, double.class).invoke(facts, "days_following", 3.0);
    Object why = rule.getClass().getMethod("explain", factsType, java.time.Clock.class).invoke(rule, facts,
        java.time.Clock.fixed(java.time.Instant.parse("2026-03-01T00:00:00Z"), java.time.ZoneOffset.UTC));
    Class<?> rendererType = loader.loadClass("io.fangroups.rules.ExplanationRenderer");
    Object renderer = rendererType.getMethod("of", java.time.ZoneId.class).invoke(null, java.time.ZoneOffset.UTC);
    String zh = (String) rendererType.getMethod("render", loader.loadClass("io.fangroups.rules.Explanation"),
        java.util.Locale.class).invoke(renderer, why, java.util.Locale.SIMPLIFIED_CHINESE);
    assertThat(zh).as("rendered from the bundled Chinese messages").contains("关注");

    Object relay = fanGroupsType.getMethod("relay").invoke(fanGroups);
    assertThat(loader.loadClass("io.fangroups.core.event.OutboxRelay").getMethod("drainOnce").invoke(relay)).isEqualTo(2);
    assertThat(published).hasSize(2).allMatch(json -> json.contains("\"schemaVersion\":2"));
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
