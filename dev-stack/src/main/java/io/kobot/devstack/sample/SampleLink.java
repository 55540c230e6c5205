package io.kobot.devstack.sample;

import java.util.Map;

/** One identity link, field by field as the contract's {@code IdentityLink} has them. */
public record SampleLink(String fbUserId, Map<String, String> deviceIds, long updatedAtMillis) {}
