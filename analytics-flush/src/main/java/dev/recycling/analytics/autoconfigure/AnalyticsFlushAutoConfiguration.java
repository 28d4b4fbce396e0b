package dev.recycling.analytics.autoconfigure;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import com.github.kagkarlsson.scheduler.Scheduler;
import dev.recycling.analytics.cache.ApiUsageCache;
import dev.recycling.analytics.cache.FeatureEvaluationCache;
import dev.recycling.analytics.cache.UsageCounter;
import dev.recycling.analytics.flush.AnalyticsActivation;
import dev.recycling.analytics.flush.AnalyticsFlusher;
import dev.recycling.analytics.flush.AnalyticsResilience;
import dev.recycling.analytics.flush.AnalyticsShutdownHook;
import dev.recycling.analytics.flush.AnalyticsStatistics;
import dev.recycling.analytics.flush.EarlyFlushSignal;
import dev.recycling.analytics.flush.MinuteRoller;
import dev.recycling.analytics.flush.PeriodicFlushScheduler;
import dev.recycling.analytics.spill.SpillDirectory;
import dev.recycling.analytics.store.AnalyticsSchemaInitializer;
import dev.recycling.analytics.store.AnalyticsTableCheck;
import dev.recycling.analytics.store.AnalyticsTables;
import dev.recycling.analytics.store.JdbcAnalyticsStore;
import dev.recycling.analytics.task.AnalyticsBatchHandler;
import dev.recycling.analytics.task.AppliedBatchesHousekeeping;
import dev.recycling.analytics.task.BatchCodec;
import dev.recycling.analytics.task.BatchProcessor;
import dev.recycling.analytics.task.BatchQueue;
import dev.recycling.analytics.task.BatchTask;
import dev.recycling.analytics.task.DbSchedulerBatchQueue;
import dev.recycling.analytics.web.ApiUsageAnnotations;
import dev.recycling.analytics.web.ReactiveUsageRecorder;
import dev.recycling.analytics.web.UsageRecorder;
import dev.recycling.analytics.web.UsageRecordingFilter;
import dev.recycling.analytics.web.UsageRecordingHttpHandler;
import dev.recycling.autoconfigure.RecyclingAutoConfiguration;
import dev.recycling.restart.Recycler;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.RetryConfig;
import jakarta.servlet.Filter;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.server.reactive.HttpHandlerDecoratorFactory;
import org.springframework.web.server.WebFilter;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for buffered analytics and their
 * flush as one durable task.
 * <p>
 * It only wires: the caches, the flush, the task and the store are plain classes in their
 * own packages. It needs one {@link DataSource}, which holds the task table and, with the
 * default handler, the aggregate tables. Switched off with
 * {@code recycling.analytics.enabled=false}, or with the starter's master switch
 * {@code recycling.enabled=false}.
 *
 * @author recycling team
 */
@AutoConfiguration(after = RecyclingAutoConfiguration.class,
		afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnBooleanProperty(name = "recycling.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "recycling.analytics.enabled", matchIfMissing = true)
@ConditionalOnClass(Scheduler.class)
@ConditionalOnSingleCandidate(DataSource.class)
@EnableConfigurationProperties(AnalyticsProperties.class)
public final class AnalyticsFlushAutoConfiguration {

	@Bean
	EarlyFlushSignal recyclingAnalyticsEarlyFlushSignal() {
		return new EarlyFlushSignal();
	}

	@Bean
	@ConditionalOnMissingBean
	ApiUsageCache apiUsageCache(AnalyticsProperties properties, EarlyFlushSignal earlyFlushSignal) {
		return new ApiUsageCache(counter(properties, earlyFlushSignal));
	}

	@Bean
	@ConditionalOnMissingBean
	FeatureEvaluationCache featureEvaluationCache(AnalyticsProperties properties,
			EarlyFlushSignal earlyFlushSignal) {
		return new FeatureEvaluationCache(counter(properties, earlyFlushSignal));
	}

	private static <K> UsageCounter<K> counter(AnalyticsProperties properties, EarlyFlushSignal earlyFlushSignal) {
		return new UsageCounter<>(properties.getMaxKeys(), System::currentTimeMillis, earlyFlushSignal);
	}

	@Bean
	@ConditionalOnMissingBean
	BatchCodec analyticsBatchCodec() {
		return new BatchCodec();
	}

	@Bean
	@ConditionalOnMissingBean
	AnalyticsSchemaInitializer analyticsSchemaInitializer(DataSource dataSource, AnalyticsProperties properties) {
		return new AnalyticsSchemaInitializer(dataSource, properties.getInitializeSchema());
	}

	@Bean
	@ConditionalOnMissingBean(AnalyticsBatchHandler.class)
	JdbcAnalyticsStore jdbcAnalyticsStore(DataSource dataSource) {
		return new JdbcAnalyticsStore(dataSource);
	}

	@Bean
	BatchTask analyticsBatchTask(BatchCodec codec, AnalyticsBatchHandler handler, AnalyticsProperties properties,
			AnalyticsStatistics statistics) {
		AnalyticsProperties.Processing processing = properties.getProcessing();
		return new BatchTask(codec, handler, processing.getFirstRetry(), processing.getMaxRetry(),
				statistics::batchApplied);
	}

	@Bean
	@ConditionalOnMissingBean
	BatchQueue analyticsBatchQueue(DataSource dataSource, BatchTask task, BatchCodec codec,
			ObjectProvider<BatchProcessor> processor) {
		// its tables are created, if at all, by the activation, before anything is served
		return new DbSchedulerBatchQueue(dataSource, AnalyticsTables.TASKS, task, codec,
				() -> processor.ifAvailable(BatchProcessor::wakeUp), Clock.systemUTC()::instant);
	}

	@Bean
	SpillDirectory analyticsSpillDirectory(AnalyticsProperties properties, BatchCodec codec) {
		SpillDirectory spill = new SpillDirectory(properties.getSpillDirectory().toPath(), codec);
		String unusable = spill.checkWritable();
		if (unusable != null) {
			throw new InvalidConfigurationPropertyValueException("recycling.analytics.spill-directory",
					properties.getSpillDirectory(), "Batches the database cannot take would be lost: " + unusable
							+ ". Point it at a writable directory on a volume that outlives the process.");
		}
		return spill;
	}

	@Bean
	AnalyticsStatistics analyticsStatistics(ObjectProvider<Recycler> recycler) {
		// shared by every generation when the starter recycles, so counts survive the restart
		Recycler owner = recycler.getIfAvailable();
		return (owner != null) ? owner.shared(AnalyticsStatistics.class, AnalyticsStatistics::new)
				: new AnalyticsStatistics();
	}

	@Bean
	AnalyticsResilience analyticsResilience(AnalyticsProperties properties, AnalyticsStatistics statistics) {
		AnalyticsProperties.CircuitBreaker breaker = properties.getCircuitBreaker();
		CircuitBreakerConfig circuitBreaker = CircuitBreakerConfig.custom()
			.failureRateThreshold(breaker.getFailureRateThreshold())
			.slidingWindowSize(breaker.getSlidingWindowSize())
			.minimumNumberOfCalls(Math.min(2, breaker.getSlidingWindowSize()))
			.waitDurationInOpenState(breaker.getWaitInOpenState())
			.permittedNumberOfCallsInHalfOpenState(1)
			.build();
		AnalyticsProperties.Retry retry = properties.getRetry();
		RetryConfig enqueueRetry = RetryConfig.custom()
			.maxAttempts(retry.getMaxAttempts())
			.intervalFunction(IntervalFunction.ofExponentialBackoff(retry.getInitialBackoff(), retry.getMultiplier()))
			.build();
		// a recycle during an outage keeps the breaker open rather than hitting the database again
		return AnalyticsResilience.of(circuitBreaker, enqueueRetry, statistics.queueUnreachable());
	}

	@Bean
	AnalyticsFlusher analyticsFlusher(ApiUsageCache apiUsage, FeatureEvaluationCache featureEvaluations,
			BatchQueue queue, SpillDirectory spill, AnalyticsResilience resilience, AnalyticsStatistics statistics,
			AnalyticsProperties properties) {
		return new AnalyticsFlusher(apiUsage, featureEvaluations, queue, spill, resilience.circuitBreaker(),
				resilience.retry(), properties.maxPendingBytes(Runtime.getRuntime().maxMemory()), Clock.systemUTC(), UUID::randomUUID,
				statistics);
	}

	@Bean
	AnalyticsActivation analyticsActivation(ConfigurableListableBeanFactory beanFactory, Environment environment,
			AnalyticsSchemaInitializer schema, DataSource dataSource, SpillDirectory spill,
			ObjectProvider<ApiUsageAnnotationsCheck> annotationChecks) {
		// every check runs first (a bad @ApiUsage stops the start); an annotated handler is a use
		return new AnalyticsActivation(() -> annotationChecks.orderedStream()
			.map(ApiUsageAnnotationsCheck::check)
			.toList()
			.contains(true) || AnalyticsUsageDetector.inUse(beanFactory, environment, spill),
				schema::initializeDatabase, new AnalyticsTableCheck(dataSource)::missingIn,
				"set recycling.analytics.initialize-schema=always to create them at start-up, or create them "
						+ "yourself from " + AnalyticsSchemaInitializer.SCHEMA_LOCATION.replace("@@platform@@",
								"<platform>")
						+ " (the starter ships schemas for PostgreSQL and H2), and restart.");
	}

	// once every bean exists, so that the application's own beans that record usage are known
	@Bean
	SmartInitializingSingleton analyticsActivationDecision(AnalyticsActivation activation) {
		return activation::decide;
	}

	@Bean
	PeriodicFlushScheduler analyticsPeriodicFlushScheduler(AnalyticsFlusher flusher, AnalyticsProperties properties,
			EarlyFlushSignal earlyFlushSignal, AnalyticsActivation activation, ApiUsageCache apiUsage,
			FeatureEvaluationCache featureEvaluations) {
		MinuteRoller minuteRoller = new MinuteRoller(System::currentTimeMillis,
				List.of(apiUsage::roll, featureEvaluations::roll));
		return new PeriodicFlushScheduler(flusher, properties.getFlushInterval(), earlyFlushSignal, minuteRoller,
				activation::isActive);
	}

	@Bean
	AnalyticsShutdownHook analyticsShutdownHook(AnalyticsFlusher flusher, AnalyticsProperties properties) {
		return new AnalyticsShutdownHook(flusher, properties.getShutdownTimeout());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.SERVLET)
	@ConditionalOnClass(Filter.class)
	static class ServletConfiguration {

		@Bean
		@ConditionalOnMissingBean
		UsageRecorder usageRecorder(ApiUsageCache apiUsage, FeatureEvaluationCache featureEvaluations) {
			return new UsageRecorder(apiUsage, featureEvaluations);
		}

		@Bean
		@ConditionalOnMissingBean
		ApiUsageAnnotations apiUsageAnnotations() {
			return new ApiUsageAnnotations();
		}

		@Bean
		FilterRegistrationBean<UsageRecordingFilter> recyclingUsageRecordingFilter(ApiUsageAnnotations annotations,
				ApiUsageCache apiUsage) {
			FilterRegistrationBean<UsageRecordingFilter> registration = new FilterRegistrationBean<>(
					new UsageRecordingFilter(annotations, apiUsage));
			registration.setName("recyclingUsageRecordingFilter");
			// outside everything that turns an exception into a response, so that it sees the final status
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
			return registration;
		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(RequestMappingHandlerMapping.class)
		static class AnnotationCheckConfiguration {

			@Bean
			ApiUsageAnnotationsCheck apiUsageAnnotationsCheck(ApiUsageAnnotations annotations,
					ObjectProvider<RequestMappingHandlerMapping> mappings) {
				return () -> mappings.orderedStream()
					.map((mapping) -> annotations.check(mapping.getHandlerMethods().values()))
					.toList()
					.contains(true);
			}

		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.REACTIVE)
	@ConditionalOnClass({ WebFilter.class, Mono.class })
	static class ReactiveConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ReactiveUsageRecorder reactiveUsageRecorder(ApiUsageCache apiUsage, FeatureEvaluationCache featureEvaluations) {
			return new ReactiveUsageRecorder(apiUsage, featureEvaluations);
		}

		@Bean
		@ConditionalOnMissingBean
		ApiUsageAnnotations apiUsageAnnotations() {
			return new ApiUsageAnnotations();
		}

		// the innermost decorator, right around WebFlux's HttpWebHandlerAdapter: it reaches the
		// exchange through the request it passes on; outside everything that turns an error into
		// a response, as the servlet filter
		@Bean
		@Order(Ordered.LOWEST_PRECEDENCE)
		HttpHandlerDecoratorFactory recyclingUsageRecordingHttpHandler(ApiUsageAnnotations annotations,
				ApiUsageCache apiUsage, ApplicationContext context) {
			return (handler) -> UsageRecordingHttpHandler.decorate(handler, context, annotations, apiUsage);
		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping.class)
		static class AnnotationCheckConfiguration {

			@Bean
			ApiUsageAnnotationsCheck reactiveApiUsageAnnotationsCheck(ApiUsageAnnotations annotations,
					ObjectProvider<org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping> mappings) {
				return () -> mappings.orderedStream()
					.map((mapping) -> annotations.check(mapping.getHandlerMethods().values()))
					.toList()
					.contains(true);
			}

		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "recycling.analytics.processing.enabled", matchIfMissing = true)
	static class ProcessingConfiguration {

		@Bean
		BatchProcessor analyticsBatchProcessor(DataSource dataSource, BatchTask task, AnalyticsProperties properties,
				AnalyticsActivation activation, ObjectProvider<JdbcAnalyticsStore> store) {
			// polls only where analytics are in use and their tables exist
			AnalyticsProperties.Processing processing = properties.getProcessing();
			JdbcAnalyticsStore jdbcStore = store.getIfAvailable();
			AppliedBatchesHousekeeping housekeeping = (jdbcStore != null)
					? new AppliedBatchesHousekeeping(jdbcStore::forgetAppliedBefore,
							processing.getAppliedBatchesRetention(), processing.getHousekeepingInterval(), Instant::now)
					: null;
			return new BatchProcessor(dataSource, AnalyticsTables.TASKS, task, processing.getPollingInterval(),
					processing.getThreads(), processing.getShutdownWait(), activation::isActive, housekeeping);
		}

	}

}
