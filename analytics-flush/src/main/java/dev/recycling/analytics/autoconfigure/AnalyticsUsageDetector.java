package dev.recycling.analytics.autoconfigure;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.recycling.analytics.cache.ApiUsageCache;
import dev.recycling.analytics.cache.FeatureEvaluationCache;
import dev.recycling.analytics.spill.SpillDirectory;

import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.env.Environment;

/**
 * Tells whether the application uses analytics: a bean of its own is injected with one of
 * the usage caches, directly or through a bean of this module (the {@code UsageRecorder}:
 * beans defined by this module's auto-configurations do not count themselves),
 * spilled batches of an earlier run wait to be replayed, or
 * {@code recycling.analytics.enabled=true} is set explicitly (an instance that only
 * applies the batches of others).
 *
 * @author recycling team
 */
final class AnalyticsUsageDetector {

	// the configurations that define this module's beans
	private static final List<String> OWN_CONFIGURATIONS = List.of(AnalyticsFlushAutoConfiguration.class.getName(),
			AnalyticsActuatorAutoConfiguration.class.getName());

	private AnalyticsUsageDetector() {
	}

	static boolean inUse(ConfigurableListableBeanFactory beanFactory, Environment environment, SpillDirectory spill) {
		if (Boolean.parseBoolean(environment.getProperty("recycling.analytics.enabled"))) {
			return true;
		}
		if (spill.count() > 0) {
			return true;
		}
		Deque<String> pending = new ArrayDeque<>();
		for (Class<?> cache : List.of(ApiUsageCache.class, FeatureEvaluationCache.class)) {
			pending.addAll(List.of(beanFactory.getBeanNamesForType(cache, false, false)));
		}
		Set<String> seen = new HashSet<>();
		while (!pending.isEmpty()) {
			String bean = pending.removeFirst();
			if (!seen.add(bean)) {
				continue;
			}
			for (String dependent : beanFactory.getDependentBeans(bean)) {
				if (!isOwn(beanFactory, dependent)) {
					return true;
				}
				pending.add(dependent);
			}
		}
		return false;
	}

	private static boolean isOwn(ConfigurableListableBeanFactory beanFactory, String bean) {
		if (!beanFactory.containsBeanDefinition(bean)
				|| !(beanFactory.getBeanDefinition(bean) instanceof AnnotatedBeanDefinition definition)
				|| definition.getFactoryMethodMetadata() == null) {
			return false;
		}
		String declaring = definition.getFactoryMethodMetadata().getDeclaringClassName();
		return OWN_CONFIGURATIONS.stream()
			.anyMatch((own) -> declaring.equals(own) || declaring.startsWith(own + "$"));
	}

}
