package dev.recycling.support;

import java.util.Locale;
import java.util.Set;

/**
 * Tells from a property's name whether its value is a secret that no report, log line or
 * endpoint may show: a name with a part that is, or ends with, password, secret, token, key
 * or credentials ({@code spring.datasource.password}, {@code app.api-key},
 * {@code DEMO_OPERATOR_PASSWORD}, {@code client.accessToken}), but not {@code max-keys}.
 *
 * @author recycling team
 */
public final class SecretNames {

	private static final Set<String> WORDS = Set.of("password", "passwd", "pwd", "secret", "secrets", "token",
			"tokens", "key", "credential", "credentials", "passphrase");

	private SecretNames() {
	}

	/**
	 * Return whether a property of this name holds a secret.
	 * @param name the property name, in any form (dotted, kebab, camel or environment)
	 * @return whether its value must never be shown
	 */
	public static boolean isSecret(String name) {
		for (String part : name.toLowerCase(Locale.ROOT).split("[.\\-_\\[\\]]+")) {
			for (String word : WORDS) {
				if (part.endsWith(word)) {
					return true;
				}
			}
		}
		return false;
	}

}
