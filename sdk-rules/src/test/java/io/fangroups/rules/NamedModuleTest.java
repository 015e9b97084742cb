package io.fangroups.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The jar as a named module. Surefire runs the other tests on the class path, so this one loads
 * the compiled module with its dependencies into a module layer of its own.
 */
class NamedModuleTest {
  private static final String MODULE = "io.fangroups.rules";

  private static ModuleFinder finder() throws URISyntaxException {
    List<Path> paths = new ArrayList<>();
    paths.add(Path.of(RuleCompiler.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (entry.contains("jackson-") || entry.contains("jspecify")) {
        paths.add(Path.of(entry));
      }
    }
    return ModuleFinder.of(paths.toArray(Path[]::new));
  }

  @Test
  void descriptor_ofTheJar_exportsOnlyTheApiAndKeepsJacksonPrivate() throws Exception {
    ModuleDescriptor descriptor = finder().find(MODULE).orElseThrow().descriptor();
    assertThat(descriptor.isAutomatic()).isFalse();
    assertThat(descriptor.exports()).singleElement().satisfies(e -> {
      assertThat(e.source()).isEqualTo(MODULE);
      assertThat(e.isQualified()).isFalse();
    });
    assertThat(descriptor.requires().stream().filter(r -> !r.name().startsWith("java."))
        .collect(Collectors.toMap(ModuleDescriptor.Requires::name, ModuleDescriptor.Requires::modifiers)))
        .containsOnly(
            org.assertj.core.api.Assertions.entry("com.fasterxml.jackson.databind", Set.of()),
            org.assertj.core.api.Assertions.entry("org.jspecify", Set.of(ModuleDescriptor.Requires.Modifier.STATIC)));
    assertThat(descriptor.uses()).containsExactly(CustomPredicate.class.getName());
  }

  @Test
  void render_inANamedModule_readsTheBundledMessages() throws Throwable {
    ModuleFinder finder = finder();
    Configuration configuration = ModuleLayer.boot().configuration().resolve(finder, ModuleFinder.of(), Set.of(MODULE));
    ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(configuration, ClassLoader.getPlatformClassLoader());
    ClassLoader loader = layer.findLoader(MODULE);
    Class<?> compilerType = loader.loadClass(RuleCompiler.class.getName());
    assertThat(compilerType.getModule().isNamed()).isTrue();
    Object rule = call(compilerType, "compile", call(compilerType, "of", null),
        "{\"version\":1,\"rule\":{\"fact\":\"days_following\",\"op\":\">=\",\"value\":7}}");
    Object facts = call(rule.getClass(), "newFacts", rule);
    facts.getClass().getMethod("set", String.class, double.class).invoke(facts, "days_following", 3.0);
    Object why = rule.getClass().getMethod("explain", facts.getClass(), Instant.class)
        .invoke(rule, facts, Instant.parse("2026-03-08T00:00:00Z"));
    Class<?> rendererType = loader.loadClass(ExplanationRenderer.class.getName());
    Object renderer = rendererType.getMethod("of", ZoneId.class).invoke(null, ZoneOffset.UTC);
    Method render = rendererType.getMethod("render", why.getClass(), Locale.class);
    try {
      assertThat((String) render.invoke(renderer, why, Locale.ENGLISH)).startsWith("You can't join yet: days following");
      assertThat((String) render.invoke(renderer, why, Locale.CHINESE)).startsWith("你暂时无法加入：关注天数");
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static Object call(Class<?> type, String name, Object target, Object... args) throws Exception {
    for (Method method : type.getMethods()) {
      if (method.getName().equals(name) && method.getParameterCount() == args.length
          && (args.length == 0 || method.getParameterTypes()[0] == args[0].getClass())) {
        return method.invoke(target, args);
      }
    }
    throw new NoSuchMethodException(type.getName() + "." + name);
  }
}
