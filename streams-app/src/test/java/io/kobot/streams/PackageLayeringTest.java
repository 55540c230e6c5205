package io.kobot.streams;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.kobot.schema.EngagementDelivery;
import io.kobot.testing.ModuleLayering;
import org.junit.jupiter.api.Test;

/**
 * The package layering of the application, as the README's architecture describes it: records flow ingest → dedup
 * → enrich → deliver, {@code topology} wires the stages, {@code app} wires everything and nothing depends on it,
 * and the stages take settings objects rather than reading configuration themselves. The pipeline's own classes
 * are imported without the jars; the Kochava client's rule imports that jar's classes.
 */
class PackageLayeringTest extends ModuleLayering {
    private static final String ROOT = "io.kobot.streams";

    PackageLayeringTest() {
        super(ROOT);
    }

    @Test
    void ingestDoesNotReachIntoLaterStages() {
        stageMustNotUse("ingest", "dedup", "enrich", "deliver", "topology", "app", "config", "observability")
                .check(classes());
    }

    @Test
    void dedupDoesNotReachIntoLaterStages() {
        stageMustNotUse("dedup", "ingest", "enrich", "deliver", "topology", "app", "config", "observability")
                .check(classes());
    }

    @Test
    void enrichDoesNotReachIntoLaterStages() {
        stageMustNotUse("enrich", "dedup", "deliver", "topology", "app", "config", "observability")
                .check(classes());
    }

    @Test
    void deliveryDoesNotReachIntoTheWiring() {
        stageMustNotUse("deliver", "ingest", "dedup", "enrich", "app", "config", "observability")
                .check(classes());
    }

    @Test
    void deadLettersDependOnNoStage() {
        stageMustNotUse("deadletter", "ingest", "dedup", "enrich", "deliver", "topology", "app", "config")
                .check(classes());
    }

    @Test
    void theKochavaClientKnowsNothingOfTheAuditRecord() {
        JavaClasses client = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.kobot.kochava");
        noClasses()
                .that()
                .resideInAPackage("io.kobot.kochava..")
                .should()
                .dependOnClassesThat()
                .belongToAnyOf(EngagementDelivery.class)
                .because("the client says how a delivery ended; the pipeline's audit record is built in deliver")
                .check(client);
    }

    private static ArchRule stageMustNotUse(String stage, String... others) {
        String[] packages = new String[others.length];
        for (int i = 0; i < others.length; i++) {
            packages[i] = ROOT + "." + others[i] + "..";
        }
        return noClasses()
                .that()
                .resideInAPackage(ROOT + "." + stage + "..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(packages)
                .because("stages depend only on earlier stages, shared model and metrics, never on the wiring");
    }
}
