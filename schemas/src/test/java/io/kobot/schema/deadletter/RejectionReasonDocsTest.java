package io.kobot.schema.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import io.kobot.schema.deadletter.RejectionReason.Replay;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The reason-code table of docs/contract.md lists exactly the declared codes, each once, with its stage and replay
 * rule, so that the page users filter and alert by cannot drift from what is written.
 */
class RejectionReasonDocsTest {
    private static final Path CONTRACT = Path.of("..", "docs", "contract.md");
    private static final String SECTION = "## Dead-letter reason codes";
    private static final String HEADER = "| code | stage | replayed | when |";
    private static final Pattern CODE = Pattern.compile("`([A-Z0-9_]+)`");

    /** One code as a row of the table says it: its code, stage and replay rule. */
    private record Documented(String code, String stage, String replayed) {}

    @Test
    void theContractListsEveryCodeOnceWithItsStageAndReplayRule() throws IOException {
        List<Documented> documented = table(Files.readAllLines(CONTRACT));

        List<Documented> declared = Arrays.stream(RejectionReason.values())
                .map(reason -> new Documented(reason.name(), reason.stage().label(), replayed(reason.replay())))
                .toList();
        assertThat(documented)
                .as("docs/contract.md, section '%s', must list the codes of RejectionReason", SECTION)
                .containsExactlyInAnyOrderElementsOf(declared);
    }

    @Test
    void rowsNamingSeveralCodesCountEachOfThem() {
        List<Documented> rows = table(List.of(
                SECTION,
                "",
                HEADER,
                "| --- | --- | --- | --- |",
                "| `A_CODE`, `B_CODE` | validate | when named | a `field` in the text is not a code |",
                "",
                "| `NOT_IN_THE_TABLE` | ingest | never | after it |"));

        assertThat(rows)
                .containsExactly(
                        new Documented("A_CODE", "validate", "when named"),
                        new Documented("B_CODE", "validate", "when named"));
    }

    private static List<Documented> table(List<String> lines) {
        int header = lines.indexOf(HEADER);
        assertThat(lines.indexOf(SECTION)).as("the section heading").isNotNegative();
        assertThat(header).as("the table header after " + SECTION).isGreaterThan(lines.indexOf(SECTION));
        List<Documented> rows = new ArrayList<>();
        for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String[] cells = lines.get(i).split("\\|", 5);
            Matcher code = CODE.matcher(cells[1]);
            while (code.find()) {
                rows.add(new Documented(code.group(1), cells[2].trim(), cells[3].trim()));
            }
        }
        return rows;
    }

    private static String replayed(Replay replay) {
        return replay.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
