package io.kobot.testing;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;

/**
 * The layering rules every module keeps, as tests: a module's layering test extends this with its root package and
 * adds the rules of its own on {@link #classes()}.
 */
public abstract class ModuleLayering {
    private final String rootPackage;

    protected ModuleLayering(String rootPackage) {
        this.rootPackage = rootPackage;
    }

    /** The module's own main classes below its root package. */
    protected final JavaClasses classes() {
        return PackageLayering.mainClasses(rootPackage);
    }

    @Test
    public void packagesHaveNoCycles() {
        PackageLayering.noPackageCycles(rootPackage).check(classes());
    }

    @Test
    public void nothingDependsOnTheWiring() {
        PackageLayering.nothingDependsOnTheWiring(rootPackage).check(classes());
    }
}
