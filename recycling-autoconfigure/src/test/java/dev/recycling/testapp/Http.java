package dev.recycling.testapp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.jspecify.annotations.Nullable;

/**
 * One HTTP request to the application on loopback, on its own connection ({@code
 * Connection: close}, so that no idle keep-alive connection holds a later close).
 */
public final class Http {

	private Http() {
	}

	/**
	 * Send a GET.
	 * @param port the application's port
	 * @param path the path and query
	 * @return the response
	 */
	public static Response get(int port, String path) {
		return send("GET", port, path, null, null);
	}

	/**
	 * Send a POST with a JSON body, or none.
	 * @param port the application's port
	 * @param path the path
	 * @param json the body, or {@code null}
	 * @return the response
	 */
	public static Response post(int port, String path, @Nullable String json) {
		return send("POST", port, path, json, null);
	}

	/**
	 * Send a request with HTTP basic credentials.
	 * @param method the method
	 * @param port the application's port
	 * @param path the path
	 * @param json the body, or {@code null}
	 * @param user the user name
	 * @param password the password
	 * @return the response
	 */
	public static Response withBasic(String method, int port, String path, @Nullable String json, String user,
			String password) {
		String credentials = Base64.getEncoder()
			.encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
		return send(method, port, path, json, "Basic " + credentials);
	}

	private static Response send(String method, int port, String path, @Nullable String json,
			@Nullable String authorization) {
		try {
			HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path)
				.toURL()
				.openConnection();
			connection.setRequestMethod(method);
			connection.setRequestProperty("Connection", "close");
			connection.setConnectTimeout(10_000);
			connection.setReadTimeout(30_000);
			if (authorization != null) {
				connection.setRequestProperty("Authorization", authorization);
			}
			if (json != null) {
				connection.setDoOutput(true);
				connection.setRequestProperty("Content-Type", "application/json");
				try (OutputStream body = connection.getOutputStream()) {
					body.write(json.getBytes(StandardCharsets.UTF_8));
				}
			}
			int status = connection.getResponseCode();
			InputStream body = (status < 400) ? connection.getInputStream() : connection.getErrorStream();
			String contentType = connection.getContentType();
			String text = (body != null) ? read(body) : "";
			connection.disconnect();
			return new Response(status, text, contentType);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(method + " " + path + " failed", ex);
		}
	}

	private static String read(InputStream input) throws IOException {
		try (input) {
			ByteArrayOutputStream bytes = new ByteArrayOutputStream();
			input.transferTo(bytes);
			return bytes.toString(StandardCharsets.UTF_8);
		}
	}

	/**
	 * A response.
	 *
	 * @param status the status code
	 * @param body the body as text
	 * @param contentType the content type, if any
	 */
	public record Response(int status, String body, @Nullable String contentType) {

	}

}
