package dev.recycling.actuate;

import java.nio.charset.StandardCharsets;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * The WebFlux counterpart of {@link BarePostFilter}: presents a bare {@code POST} to the
 * {@code recycling} endpoint (no body, no {@code Content-Type}) as an empty JSON object, so
 * that {@code curl -X POST .../actuator/recycling} reaches the write operation instead of a
 * 415. Any other request passes as it is.
 *
 * @author recycling team
 */
public final class BarePostWebFilter implements WebFilter {

	private static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.UTF_8);

	private final String path;

	/**
	 * Create the filter.
	 * @param path the endpoint's path within the application, such as
	 * {@code /actuator/recycling}
	 */
	public BarePostWebFilter(String path) {
		this.path = path;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		if (!isBarePost(request)) {
			return chain.filter(exchange);
		}
		HttpHeaders headers = new HttpHeaders();
		headers.addAll(request.getHeaders());
		headers.setContentType(MediaType.APPLICATION_JSON);
		headers.setContentLength(EMPTY_OBJECT.length);
		ServerHttpRequest emptyJson = new ServerHttpRequestDecorator(request) {

			@Override
			public HttpHeaders getHeaders() {
				return headers;
			}

			@Override
			public Flux<DataBuffer> getBody() {
				return Flux.defer(() -> Flux.just(exchange.getResponse().bufferFactory().wrap(EMPTY_OBJECT)));
			}

		};
		return chain.filter(exchange.mutate().request(emptyJson).build());
	}

	private boolean isBarePost(ServerHttpRequest request) {
		HttpHeaders headers = request.getHeaders();
		if (request.getMethod() != HttpMethod.POST || headers.getContentType() != null
				|| headers.getContentLength() > 0 || headers.containsHeader(HttpHeaders.TRANSFER_ENCODING)) {
			return false;
		}
		String path = request.getPath().pathWithinApplication().value();
		return path.equals(this.path) || path.equals(this.path + "/");
	}

}
