package io.kobot.devstack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The command line of a child JVM on this JVM's own runtime. Tests start many short-lived JVMs (pipeline
 * processes, the registry, the benchmark); the build passes them options through the system property
 * {@value #OPTIONS_PROPERTY} (the parent pom sets the JIT tier that favours start-up, which halves the CPU the
 * fault suite spends), so every launcher gets them in one place.
 */
public final class ChildJvm {

    /** Whitespace-separated JVM options for every child JVM; absent or blank: none. */
    public static final String OPTIONS_PROPERTY = "kobot.child-jvm-options";

    private ChildJvm() {}

    /** {@code java}, the options of {@value #OPTIONS_PROPERTY}, then {@code arguments}. */
    public static List<String> command(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String options = System.getProperty(OPTIONS_PROPERTY, "").strip();
        if (!options.isEmpty()) {
            command.addAll(Arrays.asList(options.split("\\s+")));
        }
        command.addAll(List.of(arguments));
        return command;
    }
}
