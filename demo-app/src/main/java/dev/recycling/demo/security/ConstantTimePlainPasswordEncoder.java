package dev.recycling.demo.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import org.jspecify.annotations.Nullable;

import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Matches a password configured in plain text (from a secret) in constant time: both sides
 * are hashed to the same length and compared with {@link MessageDigest#isEqual}. It never
 * encodes a password for storage.
 *
 * @author recycling team
 */
final class ConstantTimePlainPasswordEncoder implements PasswordEncoder {

	@Override
	public String encode(@Nullable CharSequence rawPassword) {
		throw new UnsupportedOperationException("Plain passwords are only matched, never stored");
	}

	@Override
	public boolean matches(@Nullable CharSequence rawPassword, @Nullable String encodedPassword) {
		if (rawPassword == null || encodedPassword == null) {
			return false;
		}
		return MessageDigest.isEqual(sha256(rawPassword.toString()), sha256(encodedPassword));
	}

	private static byte[] sha256(String value) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every JVM has SHA-256", ex);
		}
	}

}
