package dev.recycling.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for graceful worker recycling.
 * <p>
 * It only wires: the triggers, the restarter and the drain gate are plain classes in their
 * own packages. Switched off as a whole with {@code recycling.enabled=false}.
 *
 * @author recycling team
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "recycling.enabled", matchIfMissing = true)
public final class RecyclingAutoConfiguration {

}
