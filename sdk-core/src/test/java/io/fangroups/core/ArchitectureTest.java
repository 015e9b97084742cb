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

  private static final DescribedPredicate<JavaClass> JSON_CODECS = new DescribedPredicate<>("StoreCodec or PolicyCodec") {
    @Override
    public boolean test(JavaClass c) {
      String top = c.getName().replaceFirst("\\$.*", "");
      return top.equals(StoreCodec.class.getName()) || top.equals(PolicyCodec.class.getName());
    }
  };

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.fangroups");
  }

  @Test
  void packages_haveNoCycles() {
    slices().matching("io.fangroups.(**)").should().beFreeOfCycles().check(classes);
  }

  @Test
  void spi_dependsOnNothingButTheJdk() {
    noClasses().that().resideInAPackage("io.fangroups.spi..")
        .should().dependOnClassesThat().resideOutsideOfPackages("io.fangroups.spi..", "java..")
        .check(classes);
  }

  @Test
  void rules_isUsableAlone() {
    noClasses().that().resideInAPackage("io.fangroups.rules..")
        .should().dependOnClassesThat().resideInAnyPackage("io.fangroups.core..", "io.fangroups.spi..")
        .check(classes);
  }

  /** Only the storage codecs write JSON with Jackson; nothing else in core sees it. */
  @Test
  void core_usesJacksonOnlyInTheStoreCodecs() {
    noClasses().that().resideInAPackage("io.fangroups.core..")
        .and(DescribedPredicate.not(JSON_CODECS))
        .should().dependOnClassesThat().resideInAPackage("com.fasterxml.jackson..")
        .check(classes);
  }

  @Test
  void publicSignatures_exposeNoJacksonOrCaffeineType() {
    ArchRule rule = ArchRuleDefinition.classes().that().arePublic().and().resideInAPackage("io.fangroups..")
        .should(exposeNoThirdPartyTypes());
    rule.check(classes);
  }

  private static ArchCondition<JavaClass> exposeNoThirdPartyTypes() {
    DescribedPredicate<JavaClass> thirdParty = new DescribedPredicate<>("a Jackson or Caffeine type") {
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
    return new ArchCondition<>("expose no Jackson or Caffeine type in a public signature") {
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
          report(clazz, unit.getFullName(), exposed, thirdParty, events);
        }
        for (JavaField field : clazz.getFields()) {
          if (field.getModifiers().contains(JavaModifier.PUBLIC) || field.getModifiers().contains(JavaModifier.PROTECTED)) {
            report(clazz, field.getFullName(), field.getType().getAllInvolvedRawTypes(), thirdParty, events);
          }
        }
        if (clazz.getRawSuperclass().isPresent()) {
          report(clazz, clazz.getName() + " extends", Set.of(clazz.getRawSuperclass().get()), thirdParty, events);
        }
        report(clazz, clazz.getName() + " implements", clazz.getRawInterfaces(), thirdParty, events);
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
