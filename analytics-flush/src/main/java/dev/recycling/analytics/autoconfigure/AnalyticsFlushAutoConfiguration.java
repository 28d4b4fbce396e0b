package dev.recycling.analytics.autoconfigure;

import dev.recycling.autoconfigure.RecyclingAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for buffered analytics and their
 * flush as one durable task.
 * <p>
 * It only wires: the caches, the flush and the durable task are plain classes in their own
 * packages. Switched off with {@code recycling.analytics.enabled=false}, or with the
 * starter's master switch {@code recycling.enabled=false}.
 *
 * @author recycling team
 */
@AutoConfiguration(after = RecyclingAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "recycling.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "recycling.analytics.enabled", matchIfMissing = true)
public final class AnalyticsFlushAutoConfiguration {

}
