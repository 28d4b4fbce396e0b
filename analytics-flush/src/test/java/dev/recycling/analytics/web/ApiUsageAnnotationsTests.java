package dev.recycling.analytics.web;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.recycling.analytics.web.ApiUsageAnnotations.Counted;
import org.junit.jupiter.api.Test;

import org.springframework.web.method.HandlerMethod;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ApiUsageAnnotations}: the answer for a handler, found by the identity of
 * its method or by equality.
 */
class ApiUsageAnnotationsTests {

	private final ApiUsageAnnotations annotations = new ApiUsageAnnotations();

	@Test
	void eachRequestsNewHandlerMethodIsAnsweredAsTheCheckedOne() {
		Method flags = method(Handlers.class, "flags");
		Method health = method(Handlers.class, "health");
		assertThat(this.annotations.check(
				List.of(new HandlerMethod(new Handlers(), flags), new HandlerMethod(new Handlers(), health))))
			.isTrue();
		for (int i = 0; i < 3; i++) {
			// what Spring MVC hands each request: a new HandlerMethod with the same Method
			assertThat(this.annotations.of(new HandlerMethod(new Handlers(), flags)))
				.isEqualTo(new Counted("flags", ApiUsage.ENVIRONMENT_KEY_HEADER));
			assertThat(this.annotations.of(new HandlerMethod(new Handlers(), health))).isNull();
		}
		assertThat(this.annotations.of("not a handler method")).isNull();
		assertThat(this.annotations.identities()).isEqualTo(2);
	}

	@Test
	void theSameMethodOnTwoBeanTypesHasEachTypesAnnotation() {
		Method segments = method(Segments.class, "segments");
		assertThat(this.annotations.of(new HandlerMethod(new Segments(), segments)).resource()).isEqualTo("segments");
		assertThat(this.annotations.of(new HandlerMethod(new TenantSegments(), segments)))
			.isEqualTo(new Counted("tenant-segments", "X-Tenant"));
		assertThat(this.annotations.of(new HandlerMethod(new Segments(), segments)).resource()).isEqualTo("segments");
	}

	@Test
	void aHandlerMappingThatMakesANewMethodForEachRequestIsAnsweredWithoutGrowingTheLookup() {
		for (int i = 0; i < 1000; i++) {
			// Class.getDeclaredMethod returns a new copy of the Method each call
			Method flags = method(Handlers.class, "flags");
			assertThat(this.annotations.of(new HandlerMethod(new Handlers(), flags)).resource()).isEqualTo("flags");
		}
		assertThat(this.annotations.identities()).isEqualTo(1);
	}

	@Test
	void manyHandlersKeepTheirAnswersAsTheLookupGrows() {
		List<HandlerMethod> handlers = new ArrayList<>();
		handlers.add(new HandlerMethod(new Handlers(), method(Handlers.class, "flags")));
		Arrays.stream(String.class.getMethods())
			.limit(300)
			.forEach((method) -> handlers.add(new HandlerMethod("a string", method)));
		handlers.add(new HandlerMethod(new Segments(), method(Segments.class, "segments")));
		assertThat(this.annotations.check(handlers)).isTrue();
		assertThat(this.annotations.identities()).isEqualTo(handlers.size());
		for (HandlerMethod handler : handlers) {
			Counted counted = this.annotations.of(new HandlerMethod(handler.getBean(), handler.getMethod()));
			if (handler.getBeanType() == String.class) {
				assertThat(counted).isNull();
			}
			else {
				assertThat(counted).isNotNull();
			}
		}
		assertThat(this.annotations.of(handlers.get(0)).resource()).isEqualTo("flags");
		assertThat(this.annotations.of(handlers.get(handlers.size() - 1)).resource()).isEqualTo("segments");
	}

	private static Method method(Class<?> type, String name) {
		try {
			return type.getDeclaredMethod(name);
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static class Handlers {

		@ApiUsage("flags")
		void flags() {
		}

		void health() {
		}

	}

	@ApiUsage("segments")
	static class Segments {

		void segments() {
		}

	}

	@ApiUsage(value = "tenant-segments", environmentKeyHeader = "X-Tenant")
	static class TenantSegments extends Segments {

	}

}
