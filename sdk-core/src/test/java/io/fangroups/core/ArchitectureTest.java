package io.fangroups.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The module rules of DESIGN.md §3, checked on the compiled classes of spi, rules and core. */
class ArchitectureTest {
  private static final String[] THIRD_PARTY_IN_API = {"com.fasterxml.jackson..", "com.github.benmanes.caffeine.."};

  /** The wire format's package: the one place in core that sees Jackson. */
  private static final String FORMAT = "io.fangroups.core.internal.format..";
  private static final String INTERNAL = "..internal..";

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.fangroups");
  }

  @Test
  void modules_haveNoCycles() {
    slices().matching("io.fangroups.(*)..").should().beFreeOfCycles().check(classes);
  }

  /** A concern's internals serve the engine and that concern; other concerns' API never reaches into them. */
  @Test
  void concernInternals_areUsedOnlyByTheirConcernAndTheEngine() {
    for (String concern : new String[] {"passcode", "content", "admission", "event"}) {
      noClasses().that().resideOutsideOfPackages("io.fangroups.core." + concern + "..", "io.fangroups.core.internal..",
              "io.fangroups.core")
          .should().dependOnClassesThat().resideInAPackage("io.fangroups.core." + concern + ".internal..")
          .check(classes);
    }
  }

  /** What a host compiles against never names an internal type: internals stay free to change. */
  @Test
  void apiSignatures_exposeNoInternalType() {
    ArchRule rule = ArchRuleDefinition.classes().that().arePublic().and().resideInAPackage("io.fangroups..")
        .and().resideOutsideOfPackage(INTERNAL)
        .should(exposeNo(new DescribedPredicate<>("an internal type") {
          @Override
          public boolean test(JavaClass c) {
            return c.getPackageName().contains(".internal");
          }
        }));
    rule.check(classes);
  }

  @Test
  void spi_dependsOnNothingButTheJdk() {
    // JSpecify's annotations are the one exception: nullness metadata, not needed at run time.
    noClasses().that().resideInAPackage("io.fangroups.spi..")
        .should().dependOnClassesThat().resideOutsideOfPackages("io.fangroups.spi..", "java..", "org.jspecify.annotations")
        .check(classes);
  }

  @Test
  void rules_isUsableAlone() {
    noClasses().that().resideInAPackage("io.fangroups.rules..")
        .should().dependOnClassesThat().resideInAnyPackage("io.fangroups.core..", "io.fangroups.spi..")
        .check(classes);
  }

  /** Only the wire format writes JSON with Jackson; nothing else in core sees it. */
  @Test
  void core_usesJacksonOnlyInTheWireFormat() {
    noClasses().that().resideInAPackage("io.fangroups.core..").and().resideOutsideOfPackage(FORMAT)
        .should().dependOnClassesThat().resideInAPackage("com.fasterxml.jackson..")
        .check(classes);
  }

  @Test
  void apiSignatures_exposeNoJacksonOrCaffeineType() {
    ArchRule rule = ArchRuleDefinition.classes().that().arePublic().and().resideInAPackage("io.fangroups..")
        .and().resideOutsideOfPackage(INTERNAL)
        .should(exposeNo(THIRD_PARTY));
    rule.check(classes);
  }

  private static final DescribedPredicate<JavaClass> THIRD_PARTY = new DescribedPredicate<>("a Jackson or Caffeine type") {
      @Override
      public boolean test(JavaClass c) {
        for (String pattern : THIRD_PARTY_IN_API) {
          if (c.getPackageName().startsWith(pattern.substring(0, pattern.length() - 2))) {
            return true;
          }
        }
        return false;
      }
    };

  private static ArchCondition<JavaClass> exposeNo(DescribedPredicate<JavaClass> bad) {
    return new ArchCondition<>("expose no " + bad.getDescription() + " in a public signature") {
      @Override
      public void check(JavaClass clazz, ConditionEvents events) {
        for (JavaCodeUnit unit : clazz.getCodeUnits()) {
          if (!unit.getModifiers().contains(JavaModifier.PUBLIC) && !unit.getModifiers().contains(JavaModifier.PROTECTED)) {
            continue;
          }
          Set<JavaClass> exposed = new HashSet<>(unit.getRawParameterTypes());
          exposed.add(unit.getRawReturnType());
          exposed.addAll(unit.getThrowsClause().getTypes());
          unit.getParameterTypes().forEach(t -> exposed.addAll(t.getAllInvolvedRawTypes()));
          exposed.addAll(unit.getReturnType().getAllInvolvedRawTypes());
          report(clazz, unit.getFullName(), exposed, bad, events);
        }
        for (JavaField field : clazz.getFields()) {
          if (field.getModifiers().contains(JavaModifier.PUBLIC) || field.getModifiers().contains(JavaModifier.PROTECTED)) {
            report(clazz, field.getFullName(), field.getType().getAllInvolvedRawTypes(), bad, events);
          }
        }
        if (clazz.getRawSuperclass().isPresent()) {
          report(clazz, clazz.getName() + " extends", Set.of(clazz.getRawSuperclass().get()), bad, events);
        }
        report(clazz, clazz.getName() + " implements", clazz.getRawInterfaces(), bad, events);
      }
    };
  }

  private static void report(JavaClass clazz, String where, Set<JavaClass> types, DescribedPredicate<JavaClass> bad,
      ConditionEvents events) {
    for (JavaClass type : types) {
      if (bad.test(type)) {
        events.add(SimpleConditionEvent.violated(clazz, where + " exposes " + type.getName()));
      }
    }
  }
}
