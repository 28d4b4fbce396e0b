package dev.recycling.autoconfigure;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import dev.recycling.support.SecretNames;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.util.unit.DataSize;

/**
 * Explains a bad {@code recycling.*} property when start-up stops: which property, the
 * value, where it was set, and what to write instead. Covers values that do not convert
 * (such as {@code recycling.drain.timeout=soon}) and values the properties reject (such as
 * a drain timeout shorter than the quiet period). Runs before Spring Boot's own analyzers,
 * which would name the property but not the fix.
 * <p>
 * It also takes any bad property whose name says it holds a secret ({@link SecretNames}),
 * whatever its prefix: Spring Boot's report would print the value of every other place the
 * property is set, such as the real password in the environment. This one names the places
 * and never prints a value.
 *
 * @author recycling team
 */
public final class RecyclingConfigurationFailureAnalyzer implements FailureAnalyzer, Ordered {

	private static final String PREFIX = "recycling.";

	private final @Nullable ConfigurableEnvironment environment;

	/**
	 * Create the analyzer; Spring Boot passes the environment.
	 * @param environment the environment, to say where a value was set
	 */
	public RecyclingConfigurationFailureAnalyzer(@Nullable Environment environment) {
		this.environment = (environment instanceof ConfigurableEnvironment configurable) ? configurable : null;
	}

	@Override
	public @Nullable FailureAnalysis analyze(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof InvalidConfigurationPropertyValueException invalid) {
				if (SecretNames.isSecret(invalid.getName())) {
					return invalidSecret(invalid.getName(), invalid.getReason(), invalid);
				}
				if (invalid.getName().startsWith(PREFIX)) {
					return invalidValue(invalid);
				}
			}
			if (cause instanceof BindException bind) {
				String name = bind.getName().toString();
				if (SecretNames.isSecret(name)) {
					return invalidSecret(name, "It must be " + expected(bind.getTarget().getType().resolve(Object.class))
							+ ".", bind);
				}
				if (name.startsWith(PREFIX)) {
					return unconvertible(bind);
				}
			}
		}
		return null;
	}

	private FailureAnalysis invalidSecret(String name, @Nullable String reason, Throwable cause) {
		String why = (reason != null) ? reason : "It is not valid.";
		List<String> places = new ArrayList<>();
		if (this.environment != null) {
			for (PropertySource<?> source : this.environment.getPropertySources()) {
				if (source.containsProperty(name)) {
					Origin origin = OriginLookup.getOrigin(source, name);
					places.add((origin != null) ? origin.toString() : "'" + source.getName() + "'");
				}
			}
		}
		String where = places.isEmpty() ? "" : " (set in " + String.join(", ", places) + ")";
		String description = String.format("Invalid value for configuration property '%s'%s; the value is a secret "
				+ "and is not shown.%n%n%s", name, where, why);
		String action = String.format("Change %s where it is set%s. %s", name,
				(places.size() > 1) ? " (the first of these wins)" : "", why);
		return new FailureAnalysis(description, action, new SecretHidden(name, cause));
	}

	private FailureAnalysis invalidValue(InvalidConfigurationPropertyValueException ex) {
		String name = ex.getName();
		String reason = (ex.getReason() != null) ? ex.getReason() : "It is not valid.";
		PropertySource<?> source = source(name);
		// the value as the user wrote it (20s), not as it was converted (PT20S)
		Object value = (source != null) ? source.getProperty(name) : ex.getValue();
		Origin origin = (source != null) ? OriginLookup.getOrigin(source, name) : null;
		String description = String.format("Invalid value '%s' for configuration property '%s'%s.%n%n%s", value,
				name, where(origin), reason);
		String action = String.format("Change %s in your configuration. %s", name, reason);
		return new FailureAnalysis(description, action, ex);
	}

	private FailureAnalysis unconvertible(BindException ex) {
		String name = ex.getName().toString();
		ConfigurationProperty property = ex.getProperty();
		Object value = (property != null) ? property.getValue() : null;
		Origin origin = (property != null) ? property.getOrigin() : null;
		Class<?> type = ex.getTarget().getType().resolve(Object.class);
		String expected = expected(type);
		String description = String.format("Cannot use '%s' for configuration property '%s'%s: it must be %s.",
				value, name, where(origin), expected);
		String action = String.format("Change %s in your configuration to %s.", name, expected);
		return new FailureAnalysis(description, action, ex);
	}

	static String expected(Class<?> type) {
		if (type == Duration.class) {
			return "a duration such as 500ms, 20s or 5m (units ns, us, ms, s, m, h, d; a bare number means "
					+ "milliseconds)";
		}
		if (type == DataSize.class) {
			return "a size such as 768MB or 1GB (units B, KB, MB, GB, TB; a bare number means bytes)";
		}
		if (type.isEnum()) {
			return "one of " + Arrays.stream(type.getEnumConstants())
				.map((constant) -> ((Enum<?>) constant).name().toLowerCase(Locale.ROOT))
				.collect(Collectors.joining(", "));
		}
		if (type == boolean.class || type == Boolean.class) {
			return "true or false";
		}
		if (type == int.class || type == long.class || type == Integer.class || type == Long.class) {
			return "a whole number";
		}
		if (type == double.class || type == float.class || type == Double.class || type == Float.class) {
			return "a number such as 85 or 2.5";
		}
		if (type == File.class || type == Path.class) {
			return "a path";
		}
		return "a value of type " + type.getSimpleName();
	}

	private @Nullable PropertySource<?> source(String name) {
		if (this.environment == null) {
			return null;
		}
		return this.environment.getPropertySources()
			.stream()
			.filter((source) -> source.containsProperty(name))
			.findFirst()
			.orElse(null);
	}

	/**
	 * Stands in for the failure in the report: the original's message and cause chain may
	 * hold the secret value.
	 */
	static final class SecretHidden extends RuntimeException {

		SecretHidden(String name, Throwable original) {
			super("Invalid value for secret configuration property '" + name + "' (" + original.getClass().getName()
					+ "; message and stack trace withheld: they may contain the value)", null, false, false);
		}

	}

	private static String where(@Nullable Origin origin) {
		return (origin != null) ? " (from " + origin + ")" : "";
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
