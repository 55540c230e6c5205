package io.kobot.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the modules' package-layering tests share: the module's own main classes, and the rules every module keeps
 * (no package cycles; {@code app} is the one place that wires).
 */
public final class PackageLayering {
    /** Imported once per test JVM: importing is what takes the time. */
    private static final Map<String, JavaClasses> IMPORTED = new ConcurrentHashMap<>();

    private PackageLayering() {}

    /**
     * The main classes below {@code rootPackage} in the module's own output: neither its tests nor the jars on the
     * class path are imported (what they are depended on for is still seen, by name).
     */
    public static JavaClasses mainClasses(String rootPackage) {
        return IMPORTED.computeIfAbsent(
                rootPackage,
                root -> new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                        .importPackages(root));
    }

    /** No cycle among the packages right below {@code rootPackage}. */
    public static ArchRule noPackageCycles(String rootPackage) {
        return slices().matching(rootPackage + ".(*)..").should().beFreeOfCycles();
    }

    /** Nothing outside {@code rootPackage.app} depends on it. */
    public static ArchRule nothingDependsOnTheWiring(String rootPackage) {
        return noClasses()
                .that()
                .resideOutsideOfPackage(rootPackage + ".app..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(rootPackage + ".app..")
                .because("app is the one place that wires the components and runs them");
    }
}
