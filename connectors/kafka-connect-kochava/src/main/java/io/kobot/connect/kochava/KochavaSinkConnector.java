package io.kobot.connect.kochava;

import io.kobot.config.ConfigProblem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Delivers Engagement records to Kochava with the project's Kochava client. Every task gets the same settings;
 * Connect spreads the topic's partitions over them, so tasks.max beyond the partition count adds nothing.
 */
public class KochavaSinkConnector extends SinkConnector {

    private Map<String, String> props;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        // Fails the connector, rather than each task, naming every problem.
        new KochavaSinkConnectorConfig(props);
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return KochavaSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return Collections.nCopies(maxTasks, props);
    }

    @Override
    public void stop() {}

    @Override
    public ConfigDef config() {
        return KochavaSinkConnectorConfig.CONFIG_DEF;
    }

    /**
     * Every problem on its key, whatever else is invalid: per key, the Kochava client's rules across keys, and unknown
     * keys in the connector's namespaces (which Connect's own per-key validation would pass over).
     */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config config = super.validate(connectorConfigs);
        Map<String, List<String>> reasons = new LinkedHashMap<>();
        for (ConfigProblem problem : KochavaSinkConnectorConfig.problems(connectorConfigs))
            reasons.computeIfAbsent(problem.key(), key -> new ArrayList<>()).add(problem.reason());
        List<ConfigValue> values = new ArrayList<>();
        for (ConfigValue value : config.configValues()) {
            // Ours replace Connect's per-key messages of our keys, which say the same less plainly.
            List<String> messages = reasons.containsKey(value.name()) || isOurs(value.name())
                    ? new ArrayList<>(reasons.getOrDefault(value.name(), List.of()))
                    : value.errorMessages();
            ConfigValue replaced = new ConfigValue(value.name(), value.value(), value.recommendedValues(), messages);
            replaced.visible(value.visible());
            values.add(replaced);
            reasons.remove(value.name());
        }
        reasons.forEach((name, messages) ->
                values.add(new ConfigValue(name, connectorConfigs.get(name), List.of(), new ArrayList<>(messages))));
        return new Config(values);
    }

    private static boolean isOurs(String name) {
        return KochavaSinkConnectorConfig.CONFIG_DEF.configKeys().containsKey(name);
    }
}
