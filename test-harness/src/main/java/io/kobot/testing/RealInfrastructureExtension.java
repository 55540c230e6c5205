package io.kobot.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ExtensionContext.StoreScope;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Resolves test-method, constructor and lifecycle-method parameters of type {@link KafkaBroker}
 * and {@link ApicurioRegistry}.
 *
 * <p>Each is started lazily, at most once per JVM, and shared by every test class: it lives in the
 * launcher session's store, which JUnit closes at the end of the session. (Not the root context's:
 * with {@code forkCount > 1} surefire runs each class as an execution request of its own, whose
 * root context closes after the class.) Tests that break or restart a broker must start their own
 * with {@link KafkaBrokers#start()} instead. Topics and subjects outlive the test that made them,
 * so every test names its own.
 *
 * <p>Register it with {@code @ExtendWith(RealInfrastructureExtension.class)} on the test class and
 * declare the parameters, e.g. {@code void roundTrip(KafkaBroker kafka, ApicurioRegistry registry)}.
 */
public final class RealInfrastructureExtension implements ParameterResolver {

    private static final Namespace NAMESPACE = Namespace.create(RealInfrastructureExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == KafkaBroker.class || type == ApicurioRegistry.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        ExtensionContext.Store store = extensionContext.getStore(StoreScope.LAUNCHER_SESSION, NAMESPACE);
        if (parameterContext.getParameter().getType() == KafkaBroker.class) {
            return store.getOrComputeIfAbsent(KafkaBroker.class, type -> KafkaBrokers.start(), KafkaBroker.class);
        }
        return store.getOrComputeIfAbsent(
                ApicurioRegistry.class, type -> ApicurioRegistry.start(), ApicurioRegistry.class);
    }
}
