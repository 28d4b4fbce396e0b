package dev.recycling.analytics.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import dev.recycling.analytics.actuate.AnalyticsEndpoint;
import dev.recycling.analytics.actuate.AnalyticsHealthIndicator;
import dev.recycling.analytics.cache.ApiUsageCache;
import dev.recycling.analytics.cache.FeatureEvaluationCache;
import dev.recycling.analytics.flush.AnalyticsActivation;
import dev.recycling.analytics.flush.AnalyticsFlusher;
import dev.recycling.analytics.flush.AnalyticsShutdownHook;
import dev.recycling.analytics.flush.AnalyticsResilience;
import dev.recycling.analytics.flush.PeriodicFlushScheduler;
import dev.recycling.analytics.metrics.AnalyticsMetrics;
import dev.recycling.analytics.store.JdbcAnalyticsStore;
import dev.recycling.analytics.task.AnalyticsBatchHandler;
import dev.recycling.analytics.task.AppliedBatchesHousekeeping;
import dev.recycling.analytics.task.BatchProcessor;
import dev.recycling.analytics.web.ApiUsage;
import dev.recycling.autoconfigure.RecyclingAutoConfiguration;
import dev.recycling.shutdown.ShutdownHookChain;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.OperationType;
import org.springframework.boot.actuate.endpoint.web.WebEndpointsSupplier;
import org.springframework.boot.actuate.endpoint.web.WebOperation;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.FileSystemUtils;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AnalyticsFlushAutoConfiguration}.
 */
@ExtendWith(OutputCaptureExtension.class)
class AnalyticsFlushAutoConfigurationTests {

	@TempDir
	Path spill;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, RecyclingAutoConfiguration.class,
				AnalyticsFlushAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");

	@Test
	void autoConfigurationIsRegisteredInImportsFile() {
		ImportCandidates candidates = ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader());
		assertThat(candidates.getCandidates()).contains(AnalyticsFlushAutoConfiguration.class.getName());
	}

	@Test
	void anApplicationThatNeverRecordsUsageGetsNoTablesNoPollingNoThreadsAndNoLogLines(CapturedOutput output) {
		this.contextRunner.withPropertyValues("recycling.analytics.spill-directory=" + this.spill).run((context) -> {
			assertThat(context).hasSingleBean(ApiUsageCache.class);
			assertThat(context.getBean(BatchProcessor.class).isRunning()).isFalse();
			assertThat(context.getBean(PeriodicFlushScheduler.class).isRunning()).isFalse();
			assertThat(taskTableExists(context)).isFalse();
			assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
				.noneMatch((name) -> name.startsWith("recycling-analytics") || name.startsWith("db-scheduler"));
		});
		assertThat(output.getOut()).doesNotContain("c.g.k.s", "dev.recycling.analytics", "kagkarlsson");
	}

	@Test
	void analyticsSetOnExplicitlyRunWithoutARecorderToApplyTheBatchesOfOthers() {
		this.contextRunner
			.withPropertyValues("recycling.analytics.spill-directory=" + this.spill, "recycling.analytics.enabled=true")
			.run((context) -> {
				assertThat(context.getBean(BatchProcessor.class).isRunning()).isTrue();
				assertThat(taskTableExists(context)).isTrue();
			});
	}

	@Test
	void missingTablesAreOneClearErrorAndNoPolling(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("recycling.analytics.spill-directory=" + this.spill,
					"recycling.analytics.initialize-schema=never")
			.withUserConfiguration(RecordingApplication.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(BatchProcessor.class).isRunning()).isFalse();
				assertThat(context.getBean(PeriodicFlushScheduler.class).isRunning()).isFalse();
			});
		assertThat(output.getOut().lines().filter((line) -> line.contains(" ERROR "))).singleElement()
			.asString()
			.contains("The analytics tables do not exist in this H2 database",
					"set recycling.analytics.initialize-schema=always");
		assertThat(output.getOut()).doesNotContain("Exception");
	}

	private static boolean taskTableExists(ApplicationContext context) {
		JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
		Long tables = jdbc.queryForObject("SELECT COUNT(*) FROM information_schema.tables WHERE LOWER(table_name) = "
				+ "'recycling_analytics_tasks'", Long.class);
		return tables != null && tables > 0;
	}

	@Configuration(proxyBeanMethods = false)
	static class RecordingApplication {

		@Bean
		UsageReport usageReport(ApiUsageCache apiUsage) {
			return new UsageReport(apiUsage);
		}

	}

	// an application bean that records usage
	record UsageReport(ApiUsageCache apiUsage) {

	}

	@Test
	void anApplicationThatRecordsUsageGetsEverythingAndTheSchemaOfAnEmbeddedDatabase() {
		this.contextRunner.withPropertyValues("recycling.analytics.spill-directory=" + this.spill)
			.withUserConfiguration(RecordingApplication.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(ApiUsageCache.class)
					.hasSingleBean(FeatureEvaluationCache.class)
					.hasSingleBean(AnalyticsFlusher.class)
					.hasSingleBean(PeriodicFlushScheduler.class)
					.hasSingleBean(BatchProcessor.class)
					.hasSingleBean(JdbcAnalyticsStore.class);
				assertThat(context.getBean(ShutdownHookChain.class).getHooks())
					.hasExactlyElementsOfTypes(AnalyticsShutdownHook.class);
				assertThat(context.getBean(BatchProcessor.class).isRunning()).isTrue();
				assertThat(context.getBean(PeriodicFlushScheduler.class).isRunning()).isTrue();
				JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
				assertThat(jdbc.queryForList("SELECT task_name FROM recycling_analytics_tasks", String.class))
					.as("no batch yet, and the housekeeping of applied batch ids scheduled")
					.containsExactly(AppliedBatchesHousekeeping.NAME);
			});
	}

	@Test
	void theEndpointAndTheMetricsAreWiredWhenTheActuatorIsThere() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(AnalyticsActuatorAutoConfiguration.class,
					EndpointAutoConfiguration.class))
			.withPropertyValues("recycling.analytics.spill-directory=" + this.spill,
					"management.endpoints.web.exposure.include=analytics")
			.withBean(SimpleMeterRegistry.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(AnalyticsEndpoint.class).hasSingleBean(AnalyticsMetrics.class);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				context.getBeansOfType(MeterBinder.class).values().forEach((binder) -> binder.bindTo(registry));
				assertThat(registry.find("analytics.cache.keys").meters()).hasSize(2);
				assertThat(registry.get("resilience4j.circuitbreaker.state")
					.tag("name", AnalyticsResilience.CIRCUIT_BREAKER)
					.tag("state", "closed")
					.gauge()
					.value()).isEqualTo(1);
				assertThat(registry.find("resilience4j.retry.calls")
					.tag("name", AnalyticsResilience.RETRY)
					.meters()).isNotEmpty();
			});
	}

	@Test
	void theEndpointIsReadOnlyUnlessTheUserOptsIn() {
		WebApplicationContextRunner web = new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, RecyclingAutoConfiguration.class,
					AnalyticsFlushAutoConfiguration.class, AnalyticsActuatorAutoConfiguration.class,
					EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
					"recycling.analytics.spill-directory=" + this.spill,
					"management.endpoints.web.exposure.include=analytics");
		web.run((context) -> assertThat(analyticsOperations(context)).containsExactly(OperationType.READ));
		web.withPropertyValues("management.endpoint.analytics.access=UNRESTRICTED")
			.run((context) -> assertThat(analyticsOperations(context))
				.containsExactlyInAnyOrder(OperationType.READ, OperationType.WRITE));
	}

	private static List<OperationType> analyticsOperations(ApplicationContext context) {
		return context.getBean(WebEndpointsSupplier.class)
			.getEndpoints()
			.stream()
			.filter((endpoint) -> endpoint.getEndpointId().toString().equals("analytics"))
			.flatMap((endpoint) -> endpoint.getOperations().stream())
			.map(WebOperation::getType)
			.toList();
	}

	@Test
	void healthIsDownWhenTheSpillDirectoryBreaksAfterStartUp() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(AnalyticsActuatorAutoConfiguration.class,
					EndpointAutoConfiguration.class))
			.withPropertyValues("recycling.analytics.spill-directory=" + this.spill.resolve("spill"))
			.run((context) -> {
				AnalyticsHealthIndicator health = context.getBean(AnalyticsHealthIndicator.class);
				assertThat(health.health().getStatus()).isEqualTo(Status.UP);
				FileSystemUtils.deleteRecursively(this.spill.resolve("spill"));
				Files.writeString(this.spill.resolve("spill"), "a file where the directory was");
				Health broken = health.health();
				assertThat(broken.getStatus()).isEqualTo(Status.DOWN);
				assertThat(broken.getDetails().get("spillDirectory").toString()).endsWith("is not a directory");
			});
	}

	@Test
	void withoutTheActuatorTheFlushStillWorks() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(AnalyticsActuatorAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate", "io.micrometer"))
			.withPropertyValues("recycling.analytics.spill-directory=" + this.spill)
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(AnalyticsFlusher.class)
				.doesNotHaveBean(AnalyticsEndpoint.class)
				.doesNotHaveBean(AnalyticsMetrics.class));
	}

	@Test
	void withoutADataSourceNothingIsWired() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(RecyclingAutoConfiguration.class, AnalyticsFlushAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ApiUsageCache.class));
	}

	@Test
	void withoutDbSchedulerNothingIsWired() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("com.github.kagkarlsson"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ApiUsageCache.class));
	}

	@Test
	void aUserBatchHandlerReplacesTheJdbcStore() {
		this.contextRunner.withUserConfiguration(CustomHandler.class).run((context) -> {
			assertThat(context).doesNotHaveBean(JdbcAnalyticsStore.class);
			assertThat(context.getBean(AnalyticsBatchHandler.class)).isSameAs(context.getBean("customHandler"));
		});
	}

	@Test
	void processingCanBeSwitchedOffOnAnInstance() {
		this.contextRunner.withPropertyValues("recycling.analytics.processing.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(AnalyticsFlusher.class)
				.doesNotHaveBean(BatchProcessor.class));
	}

	@Test
	void schemaInitializationCanBeSwitchedOff() {
		this.contextRunner.withPropertyValues("recycling.analytics.initialize-schema=never",
				"recycling.analytics.processing.enabled=false")
			.run((context) -> {
				JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
				assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM information_schema.tables WHERE "
						+ "LOWER(table_name) = 'recycling_analytics_tasks'", Long.class)).isZero();
			});
	}

	@Test
	void analyticsSwitchTurnsAutoConfigurationOff() {
		this.contextRunner.withPropertyValues("recycling.analytics.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(AnalyticsFlushAutoConfiguration.class));
	}

	@Test
	void masterSwitchTurnsAutoConfigurationOff() {
		this.contextRunner.withPropertyValues("recycling.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(AnalyticsFlushAutoConfiguration.class));
	}

	@Test
	void badPropertyStopsStartUpNamingIt() {
		this.contextRunner.withPropertyValues("recycling.analytics.max-pending-memory=100TB")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("recycling.analytics.max-pending-memory")
				.hasMessageContaining("at most half of the maximum heap"));
	}

	@Test
	void aSpillDirectoryThatIsAFileStopsStartUp(@TempDir Path directory) throws Exception {
		Path file = Files.writeString(directory.resolve("not-a-directory"), "x");
		this.contextRunner.withPropertyValues("recycling.analytics.spill-directory=" + file)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("recycling.analytics.spill-directory")
				.hasMessageContaining(file + " is not a directory")
				.hasMessageContaining("Point it at a writable directory"));
	}

	@Test
	void aSpillDirectoryNobodyCanWriteStopsStartUp() {
		this.contextRunner.withPropertyValues("recycling.analytics.spill-directory=/proc/analytics-spill")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("recycling.analytics.spill-directory")
				.hasMessageContaining("cannot write to /proc/analytics-spill"));
	}

	@Test
	void theBoundOfBatchesInMemoryIsAShareOfTheHeapUnlessSet() {
		AnalyticsProperties properties = new AnalyticsProperties();
		assertThat(properties.maxPendingBytes(1_000_000_000L)).isEqualTo(50_000_000L);
		assertThat(properties.maxPendingBytes(4_000_000L)).as("at least 1MB").isEqualTo(1_048_576L);
		properties.setMaxPendingMemory(DataSize.ofMegabytes(8));
		assertThat(properties.maxPendingBytes(1_000_000_000L)).isEqualTo(8_388_608L);
	}

	@Test
	void aBadApiUsageAnnotationStopsStartUpNamingTheMethod() {
		WebApplicationContextRunner web = new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, RecyclingAutoConfiguration.class,
					AnalyticsFlushAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
					"recycling.analytics.spill-directory=" + this.spill)
			.withBean(RequestMappingHandlerMapping.class);
		web.withUserConfiguration(BadlyAnnotatedController.class)
			.run((context) -> assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
				.hasMessageContaining("@ApiUsage of " + BadlyAnnotatedController.class.getName() + ".flags()")
				.hasMessageContaining("needs a resource of 1 to 64 characters"));
		web.withUserConfiguration(AnnotatedController.class)
			.run((context) -> assertThat(context.getBean(AnalyticsActivation.class).isActive())
				.as("an annotated handler is a use of analytics")
				.isTrue());
		web.withUserConfiguration(NotAnnotatedController.class)
			.run((context) -> assertThat(context.getBean(AnalyticsActivation.class).isActive()).isFalse());
	}

	@RestController
	static class BadlyAnnotatedController {

		@ApiUsage("")
		@GetMapping("/flags")
		String flags() {
			return "[]";
		}

	}

	@RestController
	static class AnnotatedController {

		@ApiUsage("flags")
		@GetMapping("/flags")
		String flags() {
			return "[]";
		}

	}

	@RestController
	static class NotAnnotatedController {

		@GetMapping("/flags")
		String flags() {
			return "[]";
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomHandler {

		@Bean
		AnalyticsBatchHandler customHandler() {
			return (batch) -> {
			};
		}

	}

}
