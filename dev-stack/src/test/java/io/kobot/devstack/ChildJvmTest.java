package io.kobot.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ChildJvmTest {

    @Test
    void aChildJvmRunsWithTheOptionsTheBuildGivesChildJvms() throws Exception {
        String options = System.getProperty(ChildJvm.OPTIONS_PROPERTY, "");
        assertThat(options)
                .as("the build passes %s to the tests", ChildJvm.OPTIONS_PROPERTY)
                .isNotBlank();

        Process child = new ProcessBuilder(ChildJvm.command("-XX:+PrintCommandLineFlags", "-version"))
                .redirectErrorStream(true)
                .start();
        String printed = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(child.exitValue()).as(printed).isZero();
        List<String> flags =
                Arrays.asList(printed.lines().findFirst().orElse("").split("\\s+"));
        assertThat(flags).containsAll(Arrays.asList(options.strip().split("\\s+")));
    }
}
